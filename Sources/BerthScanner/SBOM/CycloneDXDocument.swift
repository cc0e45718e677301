import FoundationEssentials

/// A CycloneDX 1.5 BOM in its JSON form: the image as `metadata.component` (type container), the
/// operating system and the packages as components, and the image's dependency on each.
public struct CycloneDXDocument: Encodable, Sendable {
    /// The media type of the JSON form.
    public static let mediaType = "application/vnd.cyclonedx+json"

    public struct Tool: Encodable, Sendable {
        public var type = "application"
        public var name = "berth"
        public var publisher = "Berth"
        public var version: String
    }

    public struct Tools: Encodable, Sendable {
        public var components: [Tool]
    }

    public struct Property: Encodable, Sendable {
        public var name: String
        public var value: String
    }

    public struct Component: Encodable, Sendable {
        public var bomRef: String
        public var type: String
        public var group: String?
        public var name: String
        public var version: String
        public var purl: String?
        public var properties: [Property]?

        enum CodingKeys: String, CodingKey {
            case bomRef = "bom-ref", type, group, name, version, purl, properties
        }
    }

    public struct Metadata: Encodable, Sendable {
        public var timestamp: String
        public var tools: Tools
        public var component: Component
    }

    public struct Dependency: Encodable, Sendable {
        public var ref: String
        public var dependsOn: [String]
    }

    public var schema = "http://cyclonedx.org/schema/bom-1.5.schema.json"
    public var bomFormat = "CycloneDX"
    public var specVersion = "1.5"
    public var serialNumber: String
    public var version = 1
    public var metadata: Metadata
    public var components: [Component]
    public var dependencies: [Dependency]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema", bomFormat, specVersion, serialNumber, version, metadata, components, dependencies
    }

    /// The BOM for `inventory` of `subject`. Same inputs, same BOM.
    public init(inventory: ImageInventory, subject: SBOMSubject) {
        let packages = SBOMComponent.components(of: inventory, architecture: subject.architecture)
        let seed = ["cyclonedx", subject.repository, subject.digest, subject.created] + packages.map(\.stableID)
        serialNumber = "urn:uuid:" + SBOMComponent.uuid(from: seed.joined(separator: "\u{0}"))
        let image = Component(bomRef: subject.purl.description, type: "container", name: subject.repository,
                              version: subject.digest, purl: subject.purl.description)
        metadata = Metadata(timestamp: subject.created, tools: Tools(components: [Tool(version: subject.toolVersion)]),
                            component: image)
        var components: [Component] = []
        if let os = inventory.os {
            components.append(Component(bomRef: "os:" + os.id + "@" + os.versionID, type: "operating-system",
                                        name: os.id, version: os.versionID))
        }
        for package in packages {
            var properties = [Property(name: "berth:ecosystem", value: package.ecosystem)]
            if let source = package.sourceName {
                properties.append(Property(name: "berth:source:name", value: source))
                properties.append(Property(name: "berth:source:version", value: package.sourceVersion ?? package.version))
            }
            var group: String?
            var name = package.name
            if Ecosystem(package.ecosystem).family == .maven, let colon = name.firstIndex(of: ":") {
                group = String(name[..<colon])
                name = String(name[name.index(after: colon)...])
            }
            components.append(Component(bomRef: package.purl?.description ?? "berth:" + package.stableID, type: "library",
                                        group: group, name: name, version: package.version,
                                        purl: package.purl?.description, properties: properties))
        }
        self.components = components
        dependencies = [Dependency(ref: image.bomRef, dependsOn: components.map(\.bomRef))]
    }

    /// Compact JSON with sorted keys and unescaped `/`: byte-identical for identical BOMs.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
