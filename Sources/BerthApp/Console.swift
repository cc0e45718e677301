import Glibc

/// Unbuffered standard output, so that lines such as "Berth listening on …" reach a pipe at once.
public enum Console {
    public static func out(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}
