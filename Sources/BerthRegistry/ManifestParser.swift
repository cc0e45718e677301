import BerthCore

/// Validates a manifest's JSON and extracts its references.
///
/// The effective media type is the request's Content-Type when it names a supported manifest type,
/// else the document's `mediaType` field, else inferred (`manifests` present: OCI index; otherwise OCI
/// image manifest). A `mediaType` field that disagrees with a supported Content-Type is refused, as is
/// every Docker schema 1 manifest.
enum ManifestParser {
    static func parse(_ bytes: [UInt8], contentType: String?, maxDepth: Int) throws(RegistryError) -> ParsedManifest {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch {
            throw invalid("manifest is not valid JSON: \(error.message)")
        }
        guard document.isObject else { throw invalid("manifest must be a JSON object") }

        let requested = contentType.map(normalise)
        let field = document["mediaType"]
        if field != nil, field?.stringValue == nil { throw invalid("mediaType must be a string") }
        let schema1 = [MediaType.dockerSchema1, MediaType.dockerSchema1Signed]
        if document["schemaVersion"]?.int64Value == 1 || schema1.contains(requested ?? "")
            || schema1.contains(field?.stringValue ?? "") {
            throw invalid("Docker image manifest schema 1 is not supported; push the image as Docker schema 2 or OCI")
        }
        guard document["schemaVersion"]?.int64Value == 2 else { throw invalid("schemaVersion must be 2") }

        let mediaType = try effectiveType(requested: requested, field: field?.stringValue, document: document)
        let subject = try document["subject"].map { value throws(RegistryError) in try descriptor(value, "subject").digest }
        let annotations = try annotationsJSON(document["annotations"])
        let declaredArtifactType = try optionalString(document["artifactType"], "artifactType")

        if MediaType.indexTypes.contains(mediaType) {
            guard let entries = document["manifests"]?.arrayValue else { throw invalid("an index needs a manifests array") }
            let children = try entries.map { value throws(RegistryError) in try descriptor(value, "manifests[]").digest }
            return ParsedManifest(mediaType: mediaType, artifactType: declaredArtifactType, subject: subject,
                                  annotationsJSON: annotations, blobs: [], requiredBlobs: [], children: children)
        }
        guard let configValue = document["config"] else { throw invalid("an image manifest needs a config descriptor") }
        let config = try descriptor(configValue, "config")
        guard let layerValues = document["layers"]?.arrayValue else { throw invalid("an image manifest needs a layers array") }
        let layers = try layerValues.map { value throws(RegistryError) in try descriptor(value, "layers[]") }
        let all = [config] + layers
        let required = all.filter { !$0.mediaType.contains("nondistributable") && !$0.mediaType.contains("foreign") }
        return ParsedManifest(mediaType: mediaType, artifactType: declaredArtifactType ?? config.mediaType,
                              subject: subject, annotationsJSON: annotations, blobs: all.map(\.digest),
                              requiredBlobs: required.map(\.digest), children: [])
    }

    /// Lowercases a Content-Type and drops its parameters.
    static func normalise(_ contentType: String) -> String {
        let base = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return base.trimmingSpaces.lowercased()
    }

    private static func effectiveType(requested: String?, field: String?, document: JSONValue) throws(RegistryError) -> String {
        if let requested, MediaType.supportedManifests.contains(requested) {
            if let field, field != requested {
                throw invalid("mediaType \(field) does not match Content-Type \(requested)")
            }
            return requested
        }
        if let field {
            guard MediaType.supportedManifests.contains(field) else { throw invalid("unsupported manifest media type \(field)") }
            return field
        }
        return document["manifests"] != nil ? MediaType.ociIndex : MediaType.ociManifest
    }

    private struct Descriptor {
        let mediaType: String
        let digest: Digest
    }

    private static func descriptor(_ value: JSONValue, _ name: String) throws(RegistryError) -> Descriptor {
        guard value.isObject else { throw invalid("\(name) must be a descriptor object") }
        guard let mediaType = value["mediaType"]?.stringValue else { throw invalid("\(name) needs a mediaType") }
        guard let text = value["digest"]?.stringValue, let digest = Digest.parse(text) else {
            throw invalid("\(name) needs a valid digest")
        }
        guard let size = value["size"]?.int64Value, size >= 0 else { throw invalid("\(name) needs a non-negative integer size") }
        return Descriptor(mediaType: mediaType, digest: digest)
    }

    private static func optionalString(_ value: JSONValue?, _ name: String) throws(RegistryError) -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue else { throw invalid("\(name) must be a string") }
        return text
    }

    private static func annotationsJSON(_ value: JSONValue?) throws(RegistryError) -> String? {
        guard let value else { return nil }
        guard case .object(let members) = value else { throw invalid("annotations must be an object") }
        var text = "{"
        for (offset, member) in members.enumerated() {
            guard let string = member.value.stringValue else { throw invalid("annotation values must be strings") }
            text += (offset == 0 ? "" : ",") + JSONText.quote(member.key) + ":" + JSONText.quote(string)
        }
        return text + "}"
    }

    private static func invalid(_ message: String) -> RegistryError { RegistryError(.manifestInvalid, message) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }
}
