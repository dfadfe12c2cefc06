using Digits.Cli;

namespace Digits.Tests.Cli;

public class JsonOutputTests
{
    [Fact]
    public void Non_finite_numbers_are_written_as_null_and_finite_ones_as_numbers()
    {
        string json = JsonOutput.Serialize(new { loss = double.NaN, top = float.PositiveInfinity, maybe = (double?)double.NegativeInfinity, accuracy = 0.5, none = (double?)null });
        Assert.Equal("""{"loss":null,"top":null,"maybe":null,"accuracy":0.5,"none":null}""", json);
    }
}
