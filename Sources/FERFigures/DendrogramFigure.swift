import FERCanvas

/// The top of a hierarchical clustering's merge tree: each merge drawn as a
/// bracket at its height over the two clusters it joins, the leaves in an
/// order where no brackets cross, each leaf and the brackets within one
/// group coloured by that group, and a dashed line where the tree is cut.
package struct DendrogramFigure: Figure {
    /// One merge: the two nodes joined (leaves are `0..<leaves`, merge `i` makes node `leaves + i`) and its height.
    package struct Link: Sendable {
        package var left: Int
        package var right: Int
        package var height: Double

        /// A merge of `left` and `right` at `height`.
        package init(left: Int, right: Int, height: Double) {
            self.left = left
            self.right = right
            self.height = height
        }
    }

    /// Each leaf's name, by leaf number.
    package let leafNames: [String]
    /// Each leaf's group (its colour), by leaf number.
    package let leafGroups: [Int]
    /// The merges, lowest first.
    package let links: [Link]
    /// The line the tree is cut at, if any.
    package let cut: ReferenceLine?
    /// The figure title.
    package let title: String
    /// Title of the horizontal axis.
    package let xTitle: String
    /// Title of the vertical axis.
    package let yTitle: String
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int

    /// A dendrogram; see the properties for the parameters.
    package init(
        leafNames: [String], leafGroups: [Int], links: [Link], cut: ReferenceLine?, title: String, xTitle: String,
        yTitle: String, width: Int = 860, height: Int = 440
    ) {
        self.leafNames = leafNames
        self.leafGroups = leafGroups
        self.links = links
        self.cut = cut
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.width = width
        self.height = height
    }

    /// The leaves from left to right: the root's left subtree first, depth first.
    var order: [Int] {
        let leaves = leafNames.count
        guard !links.isEmpty else { return Array(0..<leaves) }
        var order: [Int] = [], stack = [leaves + links.count - 1]
        while let node = stack.popLast() {
            if node < leaves {
                order.append(node)
            } else if node - leaves < links.count {
                let link = links[node - leaves]
                stack.append(link.right)
                stack.append(link.left)
            }
        }
        return order
    }

    package func draw(on canvas: Canvas) {
        let leaves = leafNames.count, order = order
        let ys = links.map(\.height) + [cut?.value].compactMap { $0 }.filter(\.isFinite)
        let legend =
            cut.map { PlotFrame.legendWidth(canvas: canvas, title: "", entries: [$0.label]) } ?? 0
        let frame = PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: xTitle, yTitle: yTitle,
            x: .categories(order.map { leafNames[$0] }), y: .continuous(NiceScale(0, ys.max() ?? 1)),
            legendWidth: legend)
        frame.drawAxes(on: canvas, size: (width, height))
        // Each node's position, height and group (a merge has one when both its sides share it).
        var x = [Double](repeating: 0, count: leaves + links.count)
        var y = [Double](repeating: 0, count: leaves + links.count)
        var group = [Int?](repeating: nil, count: leaves + links.count)
        for (slot, leaf) in order.enumerated() {
            x[leaf] = frame.px(Double(slot))
            y[leaf] = frame.py(0)
            group[leaf] = leafGroups[leaf]
        }
        canvas.setLineWidth(1.5)
        for (index, link) in links.enumerated() {
            let node = leaves + index
            x[node] = (x[link.left] + x[link.right]) / 2
            y[node] = frame.py(link.height)
            group[node] = group[link.left] == group[link.right] ? group[link.left] : nil
            canvas.setColor(group[node].map(Theme.category) ?? Theme.ink)
            canvas.move(to: x[link.left], y[link.left])
            canvas.line(to: x[link.left], y[node])
            canvas.line(to: x[link.right], y[node])
            canvas.line(to: x[link.right], y[link.right])
            canvas.stroke()
        }
        for leaf in 0..<leaves {
            canvas.setColor(Theme.category(leafGroups[leaf]))
            canvas.circle(x[leaf], y[leaf], radius: 3)
            canvas.fill()
        }
        if let cut {
            frame.draw(references: [cut], on: canvas)
            frame.drawLegend(on: canvas, title: "", entries: PlotFrame.legendEntries([cut]))
        }
    }
}
