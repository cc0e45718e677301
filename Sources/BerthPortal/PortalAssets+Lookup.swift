extension PortalAssets {
    /// Every asset by path, e.g. `"js/app.js"`.
    public static let byPath: [String: PortalAsset] = {
        var map: [String: PortalAsset] = [:]
        for asset in generated { map[asset.path] = asset }
        return map
    }()

    /// The single-page application's entry document.
    public static var index: PortalAsset? { byPath["index.html"] }

    /// The asset at `path` (relative to the portal root), if any.
    public static func asset(_ path: String) -> PortalAsset? { byPath[path] }
}
