import Foundation
import CHDF5

/// An HDF5 failure: which operation on which file and object failed, and HDF5's own
/// messages, read from the library's error stack (`H5Ewalk2`) at the moment of failure.
///
/// HDF5's automatic error printing is switched off (`H5Eset_auto2(H5E_DEFAULT, NULL, NULL)`)
/// before every call into the library, so a failure is reported once, through this error,
/// and nothing is printed on stderr.
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
    /// What was being done, e.g. "open file", "write dataset", "read attribute".
    public var operation: String
    /// The HDF5 file's path on disk.
    public var file: String
    /// The object's path inside the file ("/", "/epoch_0000/P0/w"), or nil for file-level failures.
    public var object: String?
    /// HDF5's error stack, outermost (API function) first: "H5Fopen(): unable to open file", …
    /// Empty when the failure was detected by this wrapper rather than by HDF5.
    public var messages: [String]

    /// Creates an error; `messages` normally come from `HDF5Error.currentStack()`.
    public init(operation: String, file: String, object: String? = nil, messages: [String]) {
        self.operation = operation
        self.file = file
        self.object = object
        self.messages = messages
    }

    /// "HDF5: cannot open file 'x.h5': H5Fopen(): unable to open file; …" — the whole stack; or,
    /// when the stack holds an operating-system error (`systemError`), that error and the
    /// outermost message only: "HDF5: cannot create file 'x.h5': No space left on device
    /// (errno 28); H5Fcreate(): unable to create file" (a full disk's stack repeats the driver's
    /// long write report for every flush HDF5 attempts).
    public var description: String {
        var text = "HDF5: cannot \(operation) '\(file)'"
        if let object { text += " object '\(object)'" }
        if let systemError {
            text += ": " + ([systemError] + messages.prefix(1)).joined(separator: "; ")
        } else if !messages.isEmpty {
            text += ": " + messages.joined(separator: "; ")
        }
        return text
    }

    /// The first operating-system error HDF5's file driver reported in `messages` (its
    /// "…, errno = 28, error message = 'No space left on device', …"), as "No space left on
    /// device (errno 28)"; nil when there is none.
    public var systemError: String? {
        for message in messages {
            guard let errnoRange = message.range(of: "errno = "),
                  let textStart = message.range(of: "error message = '", range: errnoRange.upperBound..<message.endIndex),
                  let textEnd = message[textStart.upperBound...].firstIndex(of: "'") else { continue }
            let number = message[errnoRange.upperBound...].prefix { $0.isNumber }
            return "\(message[textStart.upperBound..<textEnd]) (errno \(number))"
        }
        return nil
    }
}

/// Collects entries of the calling thread's HDF5 error stack; used by `H5Ewalk2`.
private final class ErrorStackCollector {
    var lines: [String] = []
}

extension HDF5Error {
    /// Reads the calling thread's HDF5 error stack (`H5Ewalk2`, outermost first) into
    /// "function(): description" lines, then clears it (`H5Eclear2`).
    static func currentStack() -> [String] {
        let collector = ErrorStackCollector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        let walker: H5E_walk2_t = { _, entry, clientData in
            guard let entry, let clientData else { return 0 }
            let collector = Unmanaged<ErrorStackCollector>.fromOpaque(clientData).takeUnretainedValue()
            let function = entry.pointee.func_name.map { String(cString: $0) } ?? "?"
            // Some descriptions embed ctime() output, which ends in a newline.
            let text = (entry.pointee.desc.map { String(cString: $0) } ?? "").replacingOccurrences(of: "\n", with: "")
            let line = "\(function)(): \(text)"
            if collector.lines.last != line { collector.lines.append(line) }
            return 0
        }
        _ = H5Ewalk2(exp_h5e_default(), H5E_WALK_DOWNWARD, walker, box.toOpaque())
        _ = H5Eclear2(exp_h5e_default())
        return collector.lines
    }
}
