@testable import HTTPServer

/// Runs `body` against a fresh server on 127.0.0.1 with an ephemeral port.
func withServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                handler: @escaping HTTPHandler,
                _ body: (Int) async throws -> Void) async throws {
    var configuration = HTTPServerConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.eventLoops = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler)
    try server.start()
    do {
        try await body(server.boundPort)
    } catch {
        await server.shutdown(gracePeriodSeconds: 0)
        throw error
    }
    await server.shutdown(gracePeriodSeconds: 0)
}

/// Deterministic pseudo-random bytes.
func pattern(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
