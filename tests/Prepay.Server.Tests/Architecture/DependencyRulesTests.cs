using System.Reflection;

namespace Prepay.Server.Tests.Architecture;

/// <summary>
/// The modules' dependency rules (ARCHITECTURE.md), read off the compiled assemblies: the protocol libraries stand
/// alone, the domain knows no infrastructure, the virtual meter's firmware knows no storage.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] Infrastructure =
        ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.AspNetCore", "MQTTnet", "Prepay.Storage"];

    /// <summary>Every assembly <paramref name="root"/> needs, directly or through other assemblies of Prepay.</summary>
    private static HashSet<string> Closure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.GetName().Name! };
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (seen.Add(reference.Name!) && reference.Name!.StartsWith("Prepay.", StringComparison.Ordinal))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }
        return seen;
    }

    public static TheoryData<string> StandAlone => ["Prepay.Sts", "Prepay.Dlms"];

    [Theory]
    [MemberData(nameof(StandAlone))]
    public void A_protocol_library_references_nothing_of_Prepay(string name)
    {
        var references = Assembly.Load(name).GetReferencedAssemblies().Select(r => r.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => r.StartsWith("Prepay.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_domain_references_no_infrastructure_and_only_NodaTime_beside_the_framework()
    {
        var references = typeof(Domain.Money.Money).Assembly.GetReferencedAssemblies().Select(r => r.Name!).ToList();
        Assert.All(references, r => Assert.True(r is "NodaTime" or "netstandard" || r.StartsWith("System", StringComparison.Ordinal), r));
    }

    [Fact]
    public void The_virtual_meter_firmware_needs_no_storage_nor_broker()
    {
        var closure = Closure(Assembly.Load("Prepay.Meter"));
        Assert.Contains("Prepay.Sts", closure);
        Assert.DoesNotContain(closure, a => Infrastructure.Any(i => a.StartsWith(i, StringComparison.Ordinal)));
    }
}
