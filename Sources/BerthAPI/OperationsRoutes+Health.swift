import BerthCore

extension OperationsRoutes {
    /// One component of the health report: healthy when `check` returns, unhealthy when it throws.
    public struct HealthCheck: Sendable {
        /// The component name, e.g. "database", "storage", "jobservice".
        public let name: String
        /// Throws to report the component unhealthy (the error's description is shown).
        public let check: @Sendable () async throws -> Void

        /// Creates a check.
        public init(name: String, check: @escaping @Sendable () async throws -> Void) {
            self.name = name
            self.check = check
        }
    }

    /// The answer of `GET /api/v2.0/health`, in Harbor's shape.
    public struct HealthReport: Sendable {
        /// One component's state; `error` is nil when healthy.
        public struct Component: Sendable {
            public let name: String
            public let error: String?
        }

        public let components: [Component]

        /// Whether every component is healthy.
        public var isHealthy: Bool { components.allSatisfy { $0.error == nil } }

        /// `{"status":"healthy|unhealthy","components":[{"name","status","error"?}]}`.
        public var json: String {
            var text = "{\"status\":\"\(isHealthy ? "healthy" : "unhealthy")\",\"components\":["
            for (index, component) in components.enumerated() {
                if index > 0 { text += "," }
                text += "{\"name\":\(JSONText.quote(component.name)),\"status\":"
                if let error = component.error {
                    text += "\"unhealthy\",\"error\":\(JSONText.quote(error))}"
                } else {
                    text += "\"healthy\"}"
                }
            }
            return text + "]}"
        }
    }
}
