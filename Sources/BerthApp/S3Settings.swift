import BerthStorage

/// S3 credentials in the configuration file (JSON `s3`). The usual `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) variables take precedence, as environment
/// variables do over the file for every setting.
public struct S3Settings: Codable, Sendable, Equatable {
    public var accessKeyID = ""
    public var secretAccessKey = ""
    public var sessionToken = ""

    public init() {}

    enum CodingKeys: String, CodingKey { case accessKeyID, secretAccessKey, sessionToken }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accessKeyID = try c.decodeIfPresent(String.self, forKey: .accessKeyID) ?? accessKeyID
        secretAccessKey = try c.decodeIfPresent(String.self, forKey: .secretAccessKey) ?? secretAccessKey
        sessionToken = try c.decodeIfPresent(String.self, forKey: .sessionToken) ?? sessionToken
    }

    /// Both keys or neither.
    public func validate() throws(ConfigurationError) {
        if accessKeyID.isEmpty != secretAccessKey.isEmpty {
            throw ConfigurationError("s3.accessKeyID and s3.secretAccessKey go together")
        }
    }

    /// The credentials to sign with: the environment's, else the file's, else nil.
    func credentials() -> S3Credentials? {
        if let environment = S3Credentials.fromEnvironment() { return environment }
        guard !accessKeyID.isEmpty else { return nil }
        return S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
                             sessionToken: sessionToken.isEmpty ? nil : sessionToken)
    }
}
