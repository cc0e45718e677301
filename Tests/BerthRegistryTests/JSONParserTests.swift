@testable import BerthRegistry
import Testing

@Suite("Bounded JSON parser")
struct JSONParserTests {
    @Test func parsesValuesAndEscapes() throws {
        let value = try JSONParser.parse(Array(#"{"a":[1,-2.5e3,true,null],"s":"x\/y\u00e9\ud83d\ude00\n"}"#.utf8), maxDepth: 4)
        #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .null]))
        #expect(value["s"]?.stringValue == "x/yé😀\n")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\u{1}\"", "\"\\x\"", "\"\\ud800\"", "1 2", "tru", "{\"a\":1,}"])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8), maxDepth: 8) }
    }

    @Test func enforcesTheDepthLimit() throws {
        let nested = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(nested.utf8), maxDepth: 4) }
        _ = try JSONParser.parse(Array(nested.utf8), maxDepth: 5)
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(hostile.utf8), maxDepth: 64) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22], maxDepth: 2) }
    }
}
