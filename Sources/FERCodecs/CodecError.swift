/// A failure to decode or encode bytes, with a message a user can act on.
public struct CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, without the file name (the caller knows it).
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
