import BerthApp
import Glibc

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch try BerthCommand.parse(arguments) {
    case .help:
        Console.out(BerthCommand.usage)
    case .version:
        Console.out("berth \(BerthCommand.releaseVersion)")
    case let .serve(options):
        let configuration = try BerthCommand.configuration(options)
        let application = try await BerthApplication(configuration: configuration)
        try await application.run()
    case let .admin(command):
        let configuration = try BerthCommand.configuration(command.stores)
        let runner = try await AdminRunner(configuration: configuration)
        let typed = command.passwordFromStandardInput ? AdminRunner.readLineFromStandardInput() : nil
        try await runner.run(command.action, standardInputPassword: typed)
    case let .vulndb(command):
        let configuration = try BerthCommand.configuration(command.stores)
        try await VulnDBRunner(dataDirectory: configuration.dataDirectory).run(command.action, configuration: configuration)
    }
    exit(0)
} catch {
    let message = "berth: \(error)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
