using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void The_protocol_library_depends_on_nothing_else_of_prepay()
    {
        var references = typeof(ObisCode).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

        Assert.DoesNotContain(references, name => name.StartsWith("Prepay.", StringComparison.Ordinal));
    }
}
