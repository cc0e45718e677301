// berth-scanbench: scans layer files exactly as the server does for filesystem-stored images
// (`ImageScanner.scanFiles`, blocking `pread` on the calling thread) and prints wall time, CPU time,
// peak RSS and the size of the resulting inventory. See bench/README.md, "Scanning".
import BerthCore
import BerthScanner
import FoundationEssentials
import Glibc

/// The command line: `berth-scanbench [--repeat N] [--json] LAYER...` (bottom layer first).
struct Options {
    var layers: [String] = []
    var repeats = 1
    var json = false

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--repeat":
                guard let text = rest.popFirst(), let n = Int(text), n >= 1 else { return nil }
                options.repeats = n
            case "--json":
                options.json = true
            case "-h", "--help":
                return nil
            default:
                if argument.hasPrefix("--") { return nil }
                options.layers.append(argument)
            }
        }
        return options.layers.isEmpty ? nil : options
    }
}

/// One timed scan.
struct Round {
    var wallSeconds: Double
    var cpuSeconds: Double
    var packages: Int
    var inventoryBytes: Int
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func usage() -> (cpuSeconds: Double, peakRSSBytes: Int) {
    var ru = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru)
    let cpu = Double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + Double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6
    return (cpu, peakRSSSinceExec() ?? Int(ru.ru_maxrss) * 1024)
}

/// `VmHWM` from /proc/self/status: the peak RSS of this program alone. getrusage's `ru_maxrss` survives
/// `execve`, so a child of a large parent (a Python harness) would report the parent's RSS at fork.
func peakRSSSinceExec() -> Int? {
    let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 8192)
    let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return nil }
    let text = String(decoding: bytes[0..<n], as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.dropFirst(6).filter { $0.isNumber }
        return Int(digits).map { $0 * 1024 }
    }
    return nil
}

/// Opens every layer and scans them once, closing the descriptors afterwards.
func scanOnce(_ paths: [String]) throws -> Round {
    var inputs: [LayerInput] = []
    defer { for input in inputs { if case .file(let region) = input.content { region.close() } } }
    var total: Int64 = 0
    for path in paths {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanBenchError("cannot open \(path): errno \(errno)") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw ScanBenchError("cannot stat \(path)") }
        total += Int64(st.st_size)
        inputs.append(LayerInput(digest: "file:\(path)", content: .file(FileRegion(fd: fd, offset: 0, length: Int64(st.st_size)))))
    }
    let cpu0 = usage().cpuSeconds
    let wall0 = monotonicSeconds()
    let inventory = try ImageScanner().scanFiles(inputs)
    let wall = monotonicSeconds() - wall0
    let cpu = usage().cpuSeconds - cpu0
    let encoded = try JSONEncoder().encode(inventory)
    return Round(wallSeconds: wall, cpuSeconds: cpu, packages: inventory.packages.count, inventoryBytes: encoded.count)
}

struct ScanBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `value` with three decimals (FoundationEssentials has no `String(format:)`).
func format3(_ value: Double) -> String {
    let milli = Int((value * 1000).rounded())
    let fraction = String(milli % 1000)
    return "\(milli / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print("usage: berth-scanbench [--repeat N] [--json] LAYER...   (gzip, zstd or plain tar layers, bottom first)")
    exit(2)
}
do {
    var rounds: [Round] = []
    for _ in 0..<options.repeats { rounds.append(try scanOnce(options.layers)) }
    let wall = median(rounds.map(\.wallSeconds))
    let cpu = median(rounds.map(\.cpuSeconds))
    let rss = usage().peakRSSBytes
    let last = rounds[rounds.count - 1]
    if options.json {
        let walls = rounds.map { format3($0.wallSeconds) }.joined(separator: ",")
        print("{\"wall_s\":\(format3(wall)),\"cpu_s\":\(format3(cpu)),\"peak_rss_bytes\":\(rss),"
              + "\"packages\":\(last.packages),\"inventory_bytes\":\(last.inventoryBytes),\"rounds_wall_s\":[\(walls)]}")
    } else {
        print("layers \(options.layers.count), rounds \(rounds.count) (median)")
        print("wall \(format3(wall)) s, cpu \(format3(cpu)) s, peak RSS \(rss / 1_048_576) MiB")
        print("inventory: \(last.packages) packages, \(last.inventoryBytes) bytes of JSON")
    }
} catch {
    let message = Array("berth-scanbench: \(error)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}
