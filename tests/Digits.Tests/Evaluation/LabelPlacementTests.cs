using Digits.Evaluation;
using static Digits.Evaluation.LabelPlacement;

namespace Digits.Tests.Evaluation;

/// <summary>
/// The label placement of the comparison chart as pure geometry, without drawing: the usual place when there is room,
/// and never two labels on top of each other, on a marker or outside the data area when there is not.
/// </summary>
public class LabelPlacementTests
{
    private static readonly Box Bounds = new(0, 0, 900, 500);

    /// <summary>A marker's box as the chart makes it: 11 pixels across plus a pixel of margin.</summary>
    private static Box Marker(Label label) => Box.Around(label.X, label.Y, 6.5, 6.5);

    /// <summary>The markers of <paramref name="labels"/>' points, each owned by its label.</summary>
    private static Obstacle[] Markers(IEnumerable<Label> labels) => labels.Select((l, i) => new Obstacle(Marker(l), i)).ToArray();

    /// <summary>Fails naming the first pair of labels that overlap or come closer than the gap.</summary>
    private static void AssertPairwiseDisjoint(Placement[] placements)
    {
        for (int i = 0; i < placements.Length; i++)
        {
            for (int j = i + 1; j < placements.Length; j++)
                Assert.False(placements[i].Box.Inflate(Gap).Overlaps(placements[j].Box), $"labels {i} and {j} overlap: {placements[i].Box} and {placements[j].Box}");
        }
    }

    private static void AssertClearOf(Placement[] placements, IReadOnlyList<Obstacle> obstacles)
    {
        for (int i = 0; i < placements.Length; i++)
        {
            Assert.True(placements[i].Clear, $"label {i} found no free place");
            Assert.True(placements[i].Box.Within(Bounds), $"label {i} leaves the data area: {placements[i].Box}");
            foreach (var obstacle in obstacles)
                Assert.False(placements[i].Box.Overlaps(obstacle.Box), $"label {i} at {placements[i].Box} covers {obstacle}");
        }
    }

    [Fact]
    public void A_lone_point_keeps_its_label_on_the_right_vertically_centred()
    {
        Label label = new(100, 200, 120, 18);

        var placement = Assert.Single(Place([label], Markers([label]), Bounds));

        Assert.Equal(new Box(114, 191, 234, 209), placement.Box);
        Assert.False(placement.Leader);
        Assert.True(placement.Clear);
    }

    [Fact]
    public void Points_far_apart_all_keep_the_right_hand_position()
    {
        Label[] labels = [new(50, 400, 130, 18), new(300, 250, 110, 18), new(550, 60, 140, 18)];

        var placements = Place(labels, Markers(labels), Bounds);

        Assert.Equal(labels.Select(l => Box.At(l.X + 14, l.Y - 9, l.Width, 18)), placements.Select(p => p.Box));
    }

    [Fact]
    public void Ten_crowded_points_get_ten_pairwise_disjoint_labels_inside_the_bounds_and_off_every_marker()
    {
        // A column of points 12 pixels apart, closer than a label is tall, swaying a few pixels left and right.
        var labels = Enumerable.Range(0, 10).Select(i => new Label(300 + 4 * (i % 3), 200 + 12 * i, 150 + 5 * i, 17.5)).ToArray();
        var markers = Markers(labels);

        var placements = Place(labels, markers, Bounds);

        Assert.Equal(10, placements.Length);
        AssertPairwiseDisjoint(placements);
        AssertClearOf(placements, markers);
    }

    [Fact]
    public void Crowded_points_near_the_left_edge_still_fit_without_leaving_the_bounds()
    {
        // Like the fast linear models of the chart: close together where there is no room on the left.
        Label[] labels =
        [
            new(60, 420, 150, 17.5), new(63, 402, 180, 17.5), new(66, 330, 240, 17.5), new(64, 342, 210, 17.5), new(90, 210, 130, 17.5),
        ];
        var markers = Markers(labels);
        var whiskers = labels.Select((l, i) => new Obstacle(new Box(l.X - 1, l.Y - 24, l.X + 1, l.Y + 24), i)).ToArray();
        Obstacle[] obstacles = [.. markers, .. whiskers];

        var placements = Place(labels, obstacles, Bounds);

        AssertPairwiseDisjoint(placements);
        AssertClearOf(placements, obstacles);
    }

    [Fact]
    public void A_label_whose_right_side_holds_another_point_moves_and_leaves_that_point_visible()
    {
        // The second point sits where the first one's label would go; the second label keeps the right.
        Label[] labels = [new(400, 200, 150, 18), new(480, 201, 130, 18)];
        var markers = Markers(labels);

        var placements = Place(labels, markers, Bounds);

        Assert.Equal(Box.At(494, 192, 130, 18), placements[1].Box);
        Assert.Equal(Box.At(400 - 14 - 150, 191, 150, 18), placements[0].Box);
        AssertClearOf(placements, markers);
    }

    [Fact]
    public void A_point_by_the_right_edge_puts_its_label_on_the_left()
    {
        Label label = new(850, 250, 120, 18);

        var placement = Assert.Single(Place([label], Markers([label]), Bounds));

        Assert.Equal(Box.At(850 - 14 - 120, 241, 120, 18), placement.Box);
    }

    [Fact]
    public void Labels_keep_off_an_obstacle_such_as_the_legend()
    {
        Label label = new(600, 420, 120, 18);
        Box legend = new(650, 380, 890, 490);

        var placement = Assert.Single(Place([label], [new Obstacle(Marker(label), 0), new Obstacle(legend)], Bounds));

        Assert.False(placement.Box.Inflate(Gap).Overlaps(legend));
        Assert.True(placement.Box.Within(Bounds));
    }

    [Fact]
    public void A_label_in_its_usual_place_may_cross_a_reference_line_but_a_moved_one_avoids_it()
    {
        Box line = new(0, 205, 900, 207);
        Label usual = new(100, 200, 120, 18);
        // By the right edge: the left-hand box would cross the line, so the label goes elsewhere.
        Label moved = new(850, 200, 120, 18);

        var placements = Place([usual, moved], Markers([usual, moved]), Bounds, avoid: [line]);

        Assert.Equal(Box.At(114, 191, 120, 18), placements[0].Box);
        Assert.False(placements[1].Box.Overlaps(line));
        Assert.True(placements[1].Box.Within(Bounds));
    }

    [Fact]
    public void Labels_placed_further_out_get_a_leader_that_crosses_no_other_label()
    {
        // Ten points 5 pixels apart: not even alternating sides gives each label room beside its point.
        var labels = Enumerable.Range(0, 10).Select(i => new Label(300 + i % 2, 200 + 5 * i, 140, 17.5)).ToArray();
        var markers = Markers(labels);

        var placements = Place(labels, markers, Bounds);

        AssertPairwiseDisjoint(placements);
        AssertClearOf(placements, markers);
        Assert.Contains(placements, p => p.Leader);
        for (int i = 0; i < placements.Length; i++)
        {
            if (!placements[i].Leader) continue;
            var (x1, y1, x2, y2) = LabelPlacement.Leader(placements[i].Box, labels[i]);
            for (int j = 0; j < placements.Length; j++)
                Assert.True(j == i || !placements[j].Box.Crosses(x1, y1, x2, y2), $"the leader of label {i} crosses label {j}");
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_placement()
    {
        var labels = Enumerable.Range(0, 10).Select(i => new Label(300 + 4 * (i % 3), 200 + 12 * i, 150, 17.5)).ToArray();

        Assert.Equal(Place(labels, Markers(labels), Bounds), Place(labels, Markers(labels), Bounds));
    }

    [Fact]
    public void Candidates_start_right_then_left_then_the_diagonals_then_above_and_below()
    {
        Label label = new(100, 100, 50, 10);

        var candidates = Candidates(label, 14);

        Assert.Equal(Box.At(114, 95, 50, 10), candidates[0].Box);
        Assert.Equal(Box.At(36, 95, 50, 10), candidates[1].Box);
        Assert.True(candidates[2].Box.Bottom < 100 && candidates[2].Box.Left > 100, "above-right");
        Assert.True(candidates[3].Box.Top > 100 && candidates[3].Box.Left > 100, "below-right");
        Assert.Equal(Box.At(75, 76, 50, 10), candidates[6].Box);
        Assert.Equal(Box.At(75, 114, 50, 10), candidates[7].Box);
        Assert.All(candidates.Take(8), c => Assert.False(c.Leader));
        Assert.True(candidates.Skip(8).Count(c => c.Leader) > 0);
    }

    [Fact]
    public void Boxes_overlap_only_when_they_share_area()
    {
        Box a = new(0, 0, 10, 10);

        Assert.True(a.Overlaps(new Box(9, 9, 20, 20)));
        Assert.False(a.Overlaps(new Box(10, 0, 20, 10)));
        Assert.False(a.Overlaps(new Box(0, 11, 10, 20)));
        Assert.Equal(1, a.OverlapArea(new Box(9, 9, 20, 20)));
    }

    [Fact]
    public void A_segment_crosses_a_box_only_through_its_inside()
    {
        Box box = new(10, 10, 20, 20);

        Assert.True(box.Crosses(0, 15, 30, 15));
        Assert.True(box.Crosses(15, 15, 40, 40));
        Assert.False(box.Crosses(0, 0, 10, 30));
        Assert.False(box.Crosses(0, 0, 9, 9));
        // A leader ends on its own label's edge without counting as crossing it.
        Assert.False(box.Crosses(0, 15, 10, 15));
    }
}
