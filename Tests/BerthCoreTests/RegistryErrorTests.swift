import Testing
import BerthCore

@Suite struct RegistryErrorTests {
    @Test func rendersEnvelopeWithoutDetail() {
        let error = RegistryError(.blobUnknown, "blob unknown to registry")
        #expect(error.status == 404)
        #expect(error.jsonBody == #"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}"#)
    }

    @Test func rendersDetailAndEscapes() {
        let error = RegistryError(.nameInvalid, "bad \"name\" a/b\n", detailJSON: #"{"name":"x/y"}"#)
        #expect(error.status == 400)
        #expect(error.jsonBody ==
            #"{"errors":[{"code":"NAME_INVALID","message":"bad \"name\" a/b\n","detail":{"name":"x/y"}}]}"#)
    }

    @Test(arguments: [
        (RegistryError.Code.digestInvalid, 400), (.manifestUnknown, 404), (.unauthorized, 401), (.denied, 403),
        (.tooManyRequests, 429), (.unknown, 500), (.unavailable, 503), (.rangeInvalid, 416), (.unsupported, 415),
    ])
    func statusesFollowTheSpec(code: RegistryError.Code, status: Int) {
        #expect(RegistryError(code, "m").status == status)
    }

    @Test func quotesControlCharacters() {
        #expect(JSONText.quote("a\u{01}b\\") == #""a\u0001b\\""#)
    }
}
