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
    }
    exit(0)
} catch {
    let message = "berth: \(error)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
