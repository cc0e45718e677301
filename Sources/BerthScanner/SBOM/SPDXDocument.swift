import FoundationEssentials

/// An SPDX 2.3 document in its JSON form: the image as the described package (purpose CONTAINER), the
/// operating system, and one package per component, each with a purl external reference.
public struct SPDXDocument: Encodable, Sendable {
    /// The media type of the JSON form.
    public static let mediaType = "application/spdx+json"

    public struct CreationInfo: Encodable, Sendable {
        public var created: String
        public var creators: [String]
    }

    public struct ExternalRef: Encodable, Sendable {
        public var referenceCategory = "PACKAGE-MANAGER"
        public var referenceType = "purl"
        public var referenceLocator: String
    }

    public struct Package: Encodable, Sendable {
        public var SPDXID: String
        public var name: String
        public var versionInfo: String
        public var downloadLocation = "NOASSERTION"
        /// False: no file-level analysis, so no `packageVerificationCode` is needed.
        public var filesAnalyzed = false
        public var primaryPackagePurpose: String
        public var sourceInfo: String?
        public var externalRefs: [ExternalRef]?
    }

    public struct Relationship: Encodable, Sendable {
        public var spdxElementId: String
        public var relationshipType: String
        public var relatedSpdxElement: String
    }

    public var spdxVersion = "SPDX-2.3"
    public var dataLicense = "CC0-1.0"
    public var SPDXID = "SPDXRef-DOCUMENT"
    public var name: String
    public var documentNamespace: String
    public var creationInfo: CreationInfo
    public var packages: [Package]
    public var relationships: [Relationship]

    /// The document for `inventory` of `subject`. Same inputs, same document.
    public init(inventory: ImageInventory, subject: SBOMSubject) {
        let components = SBOMComponent.components(of: inventory, architecture: subject.architecture)
        name = subject.repository + "@" + subject.digest
        let seed = ["spdx", subject.repository, subject.digest, subject.created] + components.map(\.stableID)
        documentNamespace = subject.namespaceBase + "/" + subject.repository + "-" + subject.digest.replacingColon()
            + "-" + SBOMComponent.uuid(from: seed.joined(separator: "\u{0}"))
        creationInfo = CreationInfo(created: subject.created,
                                    creators: ["Organization: Berth", "Tool: berth-" + subject.toolVersion])
        let imageID = "SPDXRef-Image"
        var packages = [Package(SPDXID: imageID, name: subject.repository, versionInfo: subject.digest,
                                primaryPackagePurpose: "CONTAINER",
                                externalRefs: [ExternalRef(referenceLocator: subject.purl.description)])]
        var relationships = [Relationship(spdxElementId: SPDXID, relationshipType: "DESCRIBES", relatedSpdxElement: imageID)]
        if let os = inventory.os {
            let id = "SPDXRef-OperatingSystem"
            packages.append(Package(SPDXID: id, name: os.id, versionInfo: os.versionID,
                                    primaryPackagePurpose: "OPERATING-SYSTEM"))
            relationships.append(Relationship(spdxElementId: imageID, relationshipType: "CONTAINS", relatedSpdxElement: id))
        }
        for component in components {
            let id = "SPDXRef-Package-" + component.stableID
            let source = component.sourceName.map { "built package from: \($0) \(component.sourceVersion ?? component.version)" }
            packages.append(Package(SPDXID: id, name: component.name, versionInfo: component.version,
                                    primaryPackagePurpose: "LIBRARY",
                                    sourceInfo: source,
                                    externalRefs: component.purl.map { [ExternalRef(referenceLocator: $0.description)] }))
            relationships.append(Relationship(spdxElementId: imageID, relationshipType: "CONTAINS", relatedSpdxElement: id))
        }
        self.packages = packages
        self.relationships = relationships
    }

    /// Compact JSON with sorted keys and unescaped `/`: byte-identical for identical documents.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

extension String {
    /// `sha256:abc` → `sha256-abc`, for URIs and ids.
    func replacingColon() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}
