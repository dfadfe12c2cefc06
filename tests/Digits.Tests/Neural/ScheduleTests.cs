using Digits.Neural.Schedules;

namespace Digits.Tests.Neural;

public class ScheduleTests
{
    [Fact]
    public void Constant_schedule_never_changes() => Assert.Equal(0.3f, new ConstantSchedule(0.3f).At(12345));

    [Fact]
    public void Step_schedule_multiplies_by_gamma_every_step_size()
    {
        var schedule = new StepSchedule(1f, 10, 0.5f);
        Assert.Equal(1f, schedule.At(0));
        Assert.Equal(1f, schedule.At(9));
        Assert.Equal(0.5f, schedule.At(10));
        Assert.Equal(0.125f, schedule.At(35));
    }

    [Fact]
    public void Cosine_schedule_warms_up_linearly_then_decays_to_the_minimum()
    {
        var schedule = new CosineSchedule(1f, totalSteps: 110, warmupSteps: 10, minimum: 0.1f);
        Assert.Equal(0.1f, schedule.At(0), 1e-6f);
        Assert.Equal(1f, schedule.At(9), 1e-6f);
        Assert.Equal(1f, schedule.At(10), 1e-6f);
        Assert.Equal(0.55f, schedule.At(60), 1e-6f);
        Assert.Equal(0.1f, schedule.At(110), 1e-6f);
        Assert.Equal(0.1f, schedule.At(500), 1e-6f);
    }

    [Fact]
    public void One_cycle_rises_to_the_peak_then_anneals_like_pytorch()
    {
        var schedule = new OneCycleSchedule(1f, totalSteps: 101, warmupFraction: 0.3f);
        // values printed by PyTorch 1.13 OneCycleLR(max_lr=1, total_steps=101, pct_start=0.3, cycle_momentum=False)
        Assert.Equal(0.04f, schedule.At(0), 1e-6f);
        Assert.Equal(0.29047396f, schedule.At(10), 1e-6f);
        Assert.Equal(0.99975170f, schedule.At(29), 1e-6f);
        Assert.Equal(0.99975814f, schedule.At(30), 1e-6f);
        Assert.Equal(0.80298419f, schedule.At(50), 1e-6f);
        Assert.Equal(4e-6f, schedule.At(100), 1e-9f);
    }

    [Fact]
    public void One_cycle_momentum_falls_while_the_rate_rises_then_returns_like_pytorch()
    {
        var momentum = new OneCycleMomentumSchedule(0.85f, 0.95f, totalSteps: 101, warmupFraction: 0.3f);
        // PyTorch 1.13 OneCycleLR(total_steps=101, pct_start=0.3, base_momentum=0.85, max_momentum=0.95), computed by
        // hand from its phases: peak at 0.3·101 − 1 = 29.3, _annealing_cos(start, end, pct) = end + (start − end)/2·(cos(π·pct) + 1)
        Assert.Equal(0.95f, momentum.At(0), 1e-6f);
        Assert.Equal(0.92390896f, momentum.At(10), 1e-6f); // 0.85 + 0.05·(cos(π·10/29.3) + 1)
        Assert.Equal(0.85002586f, momentum.At(29), 1e-6f);
        Assert.Equal(0.85002419f, momentum.At(30), 1e-6f); // 0.95 − 0.05·(cos(π·0.7/70.7) + 1)
        Assert.Equal(0.86970166f, momentum.At(50), 1e-6f);
        Assert.Equal(0.95f, momentum.At(100), 1e-6f);
    }

    [Fact]
    public void One_cycle_momentum_rejects_a_base_above_the_max() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleMomentumSchedule(0.95f, 0.85f, totalSteps: 10));
}
