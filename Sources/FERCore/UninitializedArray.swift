extension Array {
    /// An array of `count` elements, every one written by `initialize` into uninitialised memory (a large
    /// buffer is not zeroed first only to be overwritten).
    package init(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
