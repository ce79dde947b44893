import Foundation

/// Refusals that happen before anything runs.
enum SourceCheck {
    /// The source as text, or the reason it is refused.
    static func text(from data: Data) -> Result<String, Refusal> {
        if data.count > SandboxConfiguration.maximumSourceBytes {
            return .failure(.init(reason: "The source is \(data.count >> 10) KiB; the limit is \(SandboxConfiguration.maximumSourceBytes >> 10) KiB."))
        }
        guard let text = String(validatingUTF8Data: data) else {
            return .failure(.init(reason: "The source is not valid UTF-8 text."))
        }
        if text.utf8.contains(0) {
            return .failure(.init(reason: "The source contains NUL bytes."))
        }
        return .success(text)
    }

    struct Refusal: Error {
        let reason: String
    }
}

extension String {
    /// Strict decoding: `String(decoding:as:)` would silently repair invalid bytes.
    init?(validatingUTF8Data data: Data) {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        self = text
    }
}
