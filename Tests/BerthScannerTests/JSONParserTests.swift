import Testing
@testable import BerthScanner

@Suite struct JSONParserTests {
    @Test func parsesValuesAndEscapes() throws {
        let v = try JSONParser().parse(#" {"a":[1,-2.5e3,true,false,null],"s":"x\"\\\/\n\u00e9\ud83d\ude00","o":{}} "#)
        #expect(v["a"]?.array.count == 5)
        #expect(v["a"]?.array[1] == .number("-2.5e3"))
        #expect(v["s"]?.string == "x\"\\/\né😀")
        #expect(v["o"] == .object([:]))
    }

    @Test(arguments: [#"{"a":1,}"#, "[1 2]", #"{"a"}"#, "tru", #""\x""#, "[1]x", "", #""unterminated"#, "\"a\u{01}b\""])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(text) }
    }

    @Test func boundsDepthAndSize() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try JSONParser(maxDepth: 64).parse(deep) }
        _ = try JSONParser(maxDepth: 65).parse(deep)
        #expect(throws: JSONParseError.self) { try JSONParser(maxBytes: 10).parse(#"{"a":"0123456789"}"#) }
    }
}
