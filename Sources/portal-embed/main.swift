// Build tool run by the EmbedPortal plugin: embeds the web portal's files (Sources/BerthPortal/portal/) into one Swift source,
// so the single berth binary serves them without SwiftPM resources (which would need Foundation's Bundle
// at run time). Usage: portal-embed PORTAL_DIRECTORY OUTPUT_SWIFT_FILE
import Foundation

let contentTypes = [
    "html": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
]

/// Files under `root`, as paths relative to it, sorted.
func files(under root: URL) -> [String] {
    let base = root.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
            found.append(relative)
        }
    }
    return found.sorted()
}

/// A raw string literal holding `text` exactly: more `#` than any `"#…` or `\#…` run inside it.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

/// A content-derived entity tag: FNV-1a over the bytes in two lanes, and the length.
func entityTag(_ bytes: [UInt8]) -> String {
    var first: UInt64 = 0xcbf2_9ce4_8422_2325, second: UInt64 = 0x8422_2325_cbf2_9ce4
    for byte in bytes {
        first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
        second = (second &* 0x100_0000_01b3) ^ UInt64(byte)
    }
    return "\\\"" + String(first, radix: 16) + String(second, radix: 16) + "-" + String(bytes.count, radix: 16) + "\\\""
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: portal-embed PORTAL_DIRECTORY OUTPUT_SWIFT_FILE\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
var source = """
    // Generated at build time by the EmbedPortal plugin from portal/. Not in git; edit portal/ instead.

    extension PortalAssets {
        /// Every portal file.
        static let generated: [PortalAsset] = [

    """
for relative in files(under: root) {
    let ext = (relative as NSString).pathExtension.lowercased()
    guard let type = contentTypes[ext] else {
        FileHandle.standardError.write(Data("portal-embed: no content type for \(relative)\n".utf8))
        exit(1)
    }
    let data = try Data(contentsOf: root.appendingPathComponent(relative))
    guard let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("portal-embed: \(relative) is not UTF-8\n".utf8))
        exit(1)
    }
    source += "        PortalAsset(path: \"\(relative)\", contentType: \"\(type)\", etag: \"\(entityTag(Array(data)))\",\n"
    source += "                    text: \(literal(text))),\n"
}
source += "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
