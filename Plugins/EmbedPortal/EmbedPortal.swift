import PackagePlugin

/// Embeds the web portal (`Sources/BerthPortal/portal/`) into the BerthPortal target at build time, so nothing
/// generated is committed. The portal's files live inside the target's directory on purpose: SwiftPM then sees a
/// file added or removed there and plans the build again, and every file is an input of the command, so an edit
/// regenerates the Swift source too.
@main struct EmbedPortal: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target.sourceModule else { return [] }
        let root = context.package.directoryURL.appending(path: "Sources/BerthPortal/portal")
        let marker = root.path() + (root.path().hasSuffix("/") ? "" : "/")
        let inputs = module.sourceFiles.map(\.url).filter { $0.path().hasPrefix(marker) }
        let output = context.pluginWorkDirectoryURL.appending(path: "PortalAssets+Generated.swift")
        return [.buildCommand(displayName: "Embedding the web portal",
                              executable: try context.tool(named: "portal-embed").url,
                              arguments: [root.path(), output.path()],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
