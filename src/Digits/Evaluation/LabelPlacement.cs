namespace Digits.Evaluation;

/// <summary>
/// Where to put the text labels beside the points of a chart so that no two overlap, none covers a point, a whisker
/// or the legend, and all stay inside the data area. It is pure geometry in pixels (y grows downward, as on screen),
/// so it is tested without drawing anything.
/// </summary>
/// <remarks>
/// A greedy choice: each label tries a fixed list of candidate boxes around its point (see <see cref="Candidates"/>)
/// and takes the first that fits. The usual place, right of the point, comes first, so a chart with room to spare
/// reads as it always did. Labels whose usual place is free are placed first, so crowding moves as few labels as
/// possible. A label put further out than the usual distance gets a thin leader line back to its point; that line
/// must not cross a label placed before it, and later labels keep clear of it. A label also prefers a box nearer its
/// own point than any other (so no reader takes it for a neighbour's) whose leader crosses no other point, and only
/// inside a cluster too dense for that settles for less. Everything depends only on the input (ties go to the
/// earlier label), so the same scores always give the same picture.
/// </remarks>
internal static class LabelPlacement
{
    /// <summary>Pixels kept free between a label and anything else, so that text never touches a line or another label.</summary>
    public const double Gap = 2;

    /// <summary>How many rings of further candidates to try, each half a label height (or a label height sideways) further out.</summary>
    public const int Rings = 8;

    /// <summary>A rectangle in pixels, y growing downward (so <see cref="Top"/> is less than <see cref="Bottom"/>).</summary>
    internal readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        /// <summary>The box of the given size whose upper-left corner is at (<paramref name="left"/>, <paramref name="top"/>).</summary>
        public static Box At(double left, double top, double width, double height) => new(left, top, left + width, top + height);

        /// <summary>The box centred on (<paramref name="x"/>, <paramref name="y"/>) reaching <paramref name="halfWidth"/> and <paramref name="halfHeight"/> either side.</summary>
        public static Box Around(double x, double y, double halfWidth, double halfHeight) =>
            new(x - halfWidth, y - halfHeight, x + halfWidth, y + halfHeight);

        /// <summary>Width in pixels.</summary>
        public double Width => Right - Left;

        /// <summary>Height in pixels.</summary>
        public double Height => Bottom - Top;

        /// <summary>This box grown by <paramref name="by"/> pixels on every side.</summary>
        public Box Inflate(double by) => new(Left - by, Top - by, Right + by, Bottom + by);

        /// <summary>True when the two boxes share some area; touching edges do not count.</summary>
        public bool Overlaps(Box other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

        /// <summary>True when this box lies entirely inside <paramref name="bounds"/>.</summary>
        public bool Within(Box bounds) => Left >= bounds.Left && Top >= bounds.Top && Right <= bounds.Right && Bottom <= bounds.Bottom;

        /// <summary>The area the two boxes share, 0 when they are apart: how bad a fallback position is.</summary>
        public double OverlapArea(Box other) =>
            Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left)) * Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top));

        /// <summary>The point of this box nearest to (<paramref name="x"/>, <paramref name="y"/>), where a leader line ends.</summary>
        public (double X, double Y) Nearest(double x, double y) => (Math.Clamp(x, Left, Right), Math.Clamp(y, Top, Bottom));

        /// <summary>
        /// True when the segment from (<paramref name="x1"/>, <paramref name="y1"/>) to (<paramref name="x2"/>,
        /// <paramref name="y2"/>) passes through the inside of this box (Liang–Barsky clipping); a segment that only
        /// touches the border does not count, so a leader may end on its own label's edge.
        /// </summary>
        public bool Crosses(double x1, double y1, double x2, double y2)
        {
            double enter = 0, leave = 1;
            double dx = x2 - x1, dy = y2 - y1;
            return Clip(-dx, x1 - Left) && Clip(dx, Right - x1) && Clip(-dy, y1 - Top) && Clip(dy, Bottom - y1) && enter < leave;

            bool Clip(double p, double q)
            {
                if (p == 0) return q > 0;
                double t = q / p;
                if (p < 0)
                {
                    if (t > leave) return false;
                    enter = Math.Max(enter, t);
                }
                else
                {
                    if (t < enter) return false;
                    leave = Math.Min(leave, t);
                }
                return true;
            }
        }
    }

    /// <summary>One label to place: the pixel of its point and the size of its text in pixels.</summary>
    internal readonly record struct Label(double X, double Y, double Width, double Height);

    /// <summary>
    /// Something no label may cover: a marker, a whisker, the legend. <see cref="Owner"/> is the index of the label
    /// whose point it belongs to, or -1: a label's leader line may run over its own point's marker and whisker (it
    /// starts there), never over anyone else's.
    /// </summary>
    internal readonly record struct Obstacle(Box Box, int Owner = -1);

    /// <summary>
    /// Where a label went. With <see cref="Leader"/> set, the chart draws a thin line from the point to the label's
    /// nearest edge (<see cref="Box.Nearest"/>), because the label sits further out than usual. <see cref="Clear"/> is
    /// false only when no candidate fitted and the label took the least crowded one instead.
    /// </summary>
    internal readonly record struct Placement(Box Box, bool Leader, bool Clear);

    /// <summary>
    /// The boxes to try for <paramref name="label"/>, best first. First the near ones, in a fixed order: right of the
    /// point (its near edge <paramref name="offset"/> pixels from the point's centre, vertically centred), left,
    /// above-right, below-right, above-left, below-left, above and below. Then, nearest first, <see cref="Rings"/> rings
    /// further out: the side positions shifted up and down by half a label height at a time (and sideways by a label
    /// height), the diagonal, top and bottom positions pushed outward by half a label height at a time. Candidates
    /// further from the point than <paramref name="offset"/> (plus a pixel of slack) need a leader line.
    /// </summary>
    internal static List<(Box Box, bool Leader)> Candidates(Label label, double offset)
    {
        double x = label.X, y = label.Y, w = label.Width, h = label.Height;
        // Diagonal boxes touch a corner to the point; 0.7 of the offset keeps that corner off the marker.
        double diagonal = 0.7 * offset;
        double middle = y - h / 2, centre = x - w / 2;
        var near = new List<Box>
        {
            Box.At(x + offset, middle, w, h),
            Box.At(x - offset - w, middle, w, h),
            Box.At(x + diagonal, y - diagonal - h, w, h),
            Box.At(x + diagonal, y + diagonal, w, h),
            Box.At(x - diagonal - w, y - diagonal - h, w, h),
            Box.At(x - diagonal - w, y + diagonal, w, h),
            Box.At(centre, y - offset - h, w, h),
            Box.At(centre, y + offset, w, h),
        };
        var further = new List<Box>();
        for (int ring = 1; ring <= Rings; ring++)
        {
            double step = ring * h / 2, side = ring * h;
            further.Add(Box.At(x + offset, middle - step, w, h));
            further.Add(Box.At(x + offset, middle + step, w, h));
            further.Add(Box.At(x - offset - w, middle - step, w, h));
            further.Add(Box.At(x - offset - w, middle + step, w, h));
            further.Add(Box.At(x + diagonal, y - diagonal - h - step, w, h));
            further.Add(Box.At(x + diagonal, y + diagonal + step, w, h));
            further.Add(Box.At(x - diagonal - w, y - diagonal - h - step, w, h));
            further.Add(Box.At(x - diagonal - w, y + diagonal + step, w, h));
            further.Add(Box.At(centre, y - offset - h - step, w, h));
            further.Add(Box.At(centre, y + offset + step, w, h));
            further.Add(Box.At(x + offset + side, middle, w, h));
            further.Add(Box.At(x - offset - side - w, middle, w, h));
        }
        // OrderBy is stable: candidates at the same distance keep the order above.
        return near.Concat(further.OrderBy(b => Distance(b, x, y)))
            .Select(b => (b, Distance(b, x, y) > offset + 1))
            .ToList();
    }

    /// <summary>
    /// Places every label of <paramref name="labels"/> (the result is in the same order) so that the boxes stay inside
    /// <paramref name="bounds"/>, at least <see cref="Gap"/> pixels from each other, from every box of
    /// <paramref name="obstacles"/> and from the leader lines placed before them; a leader line in turn crosses no
    /// placed label, nor any obstacle but its own point's unless no candidate allows that.
    /// </summary>
    /// <param name="avoid">
    /// Boxes a label may cover but had better not, such as reference lines across the chart: a label that keeps its
    /// usual place may cross them (as it always did), but one that has to move anyway takes the first candidate clear
    /// of them too, if there is one, so the text is not struck through.
    /// </param>
    /// <param name="offset">How far from the centre of its point a label's near edge sits in the usual position.</param>
    internal static Placement[] Place(
        IReadOnlyList<Label> labels, IReadOnlyList<Obstacle> obstacles, Box bounds, IReadOnlyList<Box>? avoid = null, double offset = 14)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(obstacles);
        avoid ??= [];
        var candidates = labels.Select(l => Candidates(l, offset)).ToArray();
        var placements = new Placement[labels.Count];
        var placed = new List<Box>();
        var leaders = new List<(double X1, double Y1, double X2, double Y2)>();
        foreach (int i in Order(candidates, obstacles, bounds))
        {
            var label = labels[i];
            int owner = i;
            bool Fits((Box Box, bool Leader) candidate, bool strict) =>
                Clear(candidate.Box, candidate.Leader ? Leader(candidate.Box, label) : null, strict ? owner : null, labels, bounds, obstacles, placed, leaders);
            // Strict first: a box nearer its own point than any other, whose leader crosses no other point. Only a
            // label with no such place (inside a dense cluster) settles for less.
            var list = candidates[i];
            int chosen = Fits(list[0], true) ? 0 : list.FindIndex(c => !avoid.Any(a => c.Box.Overlaps(a)) && Fits(c, true));
            if (chosen < 0) chosen = list.FindIndex(c => Fits(c, true));
            if (chosen < 0) chosen = list.FindIndex(c => Fits(c, false));
            var placement = chosen >= 0
                ? new Placement(list[chosen].Box, list[chosen].Leader, Clear: true)
                : LeastCrowded(list, label, obstacles, placed, bounds, offset);
            if (placement.Leader) leaders.Add(Leader(placement.Box, label));
            placements[i] = placement;
            placed.Add(placement.Box);
        }
        return placements;
    }

    /// <summary>
    /// True when <paramref name="box"/> lies inside the bounds and keeps <see cref="Gap"/> pixels from every obstacle,
    /// placed label and leader line, and its own <paramref name="leader"/> (if it needs one) crosses no placed label.
    /// With an <paramref name="owner"/> (the index of the label being placed) the test is strict: no other point may be
    /// nearer the box than the label's own, so no reader takes the label for a neighbour's, and the leader crosses
    /// no obstacle but those of its own point.
    /// </summary>
    private static bool Clear(
        Box box, (double X1, double Y1, double X2, double Y2)? leader, int? owner, IReadOnlyList<Label> labels, Box bounds,
        IReadOnlyList<Obstacle> obstacles, List<Box> placed, List<(double X1, double Y1, double X2, double Y2)> leaders)
    {
        if (!box.Within(bounds)) return false;
        var padded = box.Inflate(Gap);
        if (obstacles.Any(o => padded.Overlaps(o.Box)) || placed.Any(padded.Overlaps) || leaders.Any(l => padded.Crosses(l.X1, l.Y1, l.X2, l.Y2)))
            return false;
        if (owner is int own)
        {
            double mine = Distance(box, labels[own].X, labels[own].Y);
            for (int j = 0; j < labels.Count; j++)
            {
                if (j != own && Distance(box, labels[j].X, labels[j].Y) < mine) return false;
            }
        }
        if (leader is not { } line) return true;
        var (x1, y1, x2, y2) = line;
        return !placed.Any(p => p.Inflate(Gap).Crosses(x1, y1, x2, y2))
            && (owner is null || !obstacles.Any(o => o.Owner != owner && o.Box.Crosses(x1, y1, x2, y2)));
    }

    /// <summary>
    /// The order to place labels in: those whose usual (right-hand) box is clear of obstacles, of the other labels'
    /// usual boxes and of the edges first, so they keep it, then the more crowded ones; ties keep the input order.
    /// </summary>
    private static int[] Order(IReadOnlyList<List<(Box Box, bool Leader)>> candidates, IReadOnlyList<Obstacle> obstacles, Box bounds)
    {
        var usual = candidates.Select(c => c[0].Box).ToArray();
        int Conflicts(int i) =>
            (usual[i].Within(bounds) ? 0 : 1)
            + obstacles.Count(o => usual[i].Overlaps(o.Box.Inflate(Gap)))
            + usual.Where((u, j) => j != i && usual[i].Overlaps(u.Inflate(Gap))).Count();
        return Enumerable.Range(0, usual.Length).OrderBy(Conflicts).ToArray();
    }

    /// <summary>When nothing fits: the candidate inside the bounds that overlaps the least area (the first of equals), or
    /// failing that the usual box moved inside the bounds.</summary>
    private static Placement LeastCrowded(
        List<(Box Box, bool Leader)> candidates, Label label, IReadOnlyList<Obstacle> obstacles, List<Box> placed, Box bounds, double offset)
    {
        Placement? best = null;
        double bestOverlap = double.PositiveInfinity;
        foreach (var (box, leader) in candidates)
        {
            if (!box.Within(bounds)) continue;
            double overlap = obstacles.Sum(o => box.OverlapArea(o.Box)) + placed.Sum(p => box.OverlapArea(p));
            if (overlap < bestOverlap)
            {
                bestOverlap = overlap;
                best = new Placement(box, leader, Clear: false);
            }
        }
        if (best is not null) return best.Value;
        var usual = candidates[0].Box;
        double left = Math.Clamp(usual.Left, bounds.Left, Math.Max(bounds.Left, bounds.Right - usual.Width));
        double top = Math.Clamp(usual.Top, bounds.Top, Math.Max(bounds.Top, bounds.Bottom - usual.Height));
        var moved = Box.At(left, top, usual.Width, usual.Height);
        return new Placement(moved, Distance(moved, label.X, label.Y) > offset + 1, Clear: false);
    }

    /// <summary>The leader line of a label in <paramref name="box"/>: from its point to the nearest point of the box.</summary>
    internal static (double X1, double Y1, double X2, double Y2) Leader(Box box, Label label)
    {
        var (x, y) = box.Nearest(label.X, label.Y);
        return (label.X, label.Y, x, y);
    }

    private static double Distance(Box box, double x, double y)
    {
        var (nx, ny) = box.Nearest(x, y);
        return Math.Sqrt((nx - x) * (nx - x) + (ny - y) * (ny - y));
    }
}
