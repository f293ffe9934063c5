namespace Prepay.Domain.Tests;

public class Smoke
{
    [Xunit.Fact]
    public void Builds() => Xunit.Assert.True(true);
}
