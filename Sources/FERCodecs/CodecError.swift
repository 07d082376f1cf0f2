/// A failure to decode or encode bytes, with a message a user can act on.
package struct CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, without the file name (the caller knows it).
    package let message: String

    /// Creates an error with the given message.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
