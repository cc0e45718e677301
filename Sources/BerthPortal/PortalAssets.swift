/// The web portal's files, embedded into the binary at build time by the EmbedPortal plugin from `portal/`
/// (SwiftPM resources would need Foundation's Bundle at run time). The plugin adds the `generated` list.
public enum PortalAssets {}
