/// Media types Berth recognises.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// Manifest types that can be stored.
    public static let supportedManifests: Set<String> = [ociManifest, ociIndex, dockerManifest, dockerManifestList]
    /// Types whose entries are child manifests rather than blobs.
    public static let indexTypes: Set<String> = [ociIndex, dockerManifestList]
    /// Docker's image configuration type (schema 2).
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    /// Config types that make a manifest a container image.
    public static let imageConfigTypes: Set<String> = [ociConfig, dockerConfig]
}
