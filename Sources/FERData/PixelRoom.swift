import FERCore

/// Whether a dataset's images fit in memory before room is made for them: a
/// dataset too large is refused with a message, not crashed on when the
/// allocation fails.
enum PixelRoom {
    /// Refuses images whose pixels (room for `images` of `width` x `height`) would take more than three
    /// quarters of the memory this process may use: the allocation would fail, and a run needs more besides.
    static func check(images: Int, width: Int, height: Int, file: String) throws {
        let (bytes, overflow) = images.multipliedReportingOverflow(by: width * height)
        let available = MachineMemory.available
        guard overflow || bytes > available / 4 * 3 else { return }
        let size = overflow ? "more than any machine has" : MachineMemory.gigabytes(bytes)
        throw DataError(
            file: file,
            "its images (room for \(images) of \(width)x\(height)) would take \(size), more than three quarters of the \(MachineMemory.gigabytes(available)) this process may use; use fewer or smaller images"
        )
    }
}
