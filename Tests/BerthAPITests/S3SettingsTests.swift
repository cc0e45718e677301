import FoundationEssentials
import Glibc
import Testing
@testable import BerthApp

/// S3 credentials from the configuration file, below the environment in precedence.
@Suite struct S3SettingsTests {
    @Test func fileCredentialsAreDecodedValidatedAndUsedWithoutEnvironment() throws {
        let json = #"{"storage":"s3://b/p?endpoint=http://127.0.0.1:9000","s3":{"accessKeyID":"AK","secretAccessKey":"SK"}}"#
        let configuration = try JSONDecoder().decode(BerthConfiguration.self, from: Data(json.utf8))
        #expect(configuration.s3.accessKeyID == "AK")
        try configuration.validate()
        if getenv("AWS_ACCESS_KEY_ID") == nil || getenv("AWS_SECRET_ACCESS_KEY") == nil {
            let credentials = try #require(configuration.s3.credentials())
            #expect(credentials.accessKeyID == "AK" && credentials.secretAccessKey == "SK")
            #expect(credentials.sessionToken == nil)
        }
        var half = configuration
        half.s3.secretAccessKey = ""
        #expect(throws: ConfigurationError.self) { try half.validate() }
        #expect(BerthConfiguration().s3.credentials() == nil || getenv("AWS_ACCESS_KEY_ID") != nil)
    }
}
