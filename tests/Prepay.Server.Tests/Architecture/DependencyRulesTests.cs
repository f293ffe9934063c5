using System.Reflection;

namespace Prepay.Server.Tests.Architecture;

/// <summary>
/// The modules' dependency rules (ARCHITECTURE.md), read off the compiled assemblies: the protocol libraries stand
/// alone, the domain knows no infrastructure, the virtual meter's firmware knows no storage, and the simulator speaks
/// to the head-end only through the shared protocol library (Prepay.MeterLink), never through the head-end itself.
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

    [Fact]
    public void The_meter_link_references_only_the_domain_of_Prepay_and_no_infrastructure()
    {
        var assembly = Assembly.Load("Prepay.MeterLink");
        var prepay = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(r => r.StartsWith("Prepay.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Prepay.Domain"], prepay);
        Assert.DoesNotContain(Closure(assembly), a => Infrastructure.Any(i => a.StartsWith(i, StringComparison.Ordinal)));
    }

    [Fact]
    public void Meter_data_validation_references_only_the_domain_of_Prepay_and_no_infrastructure()
    {
        var assembly = Assembly.Load("Prepay.MeterData");
        var prepay = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(r => r.StartsWith("Prepay.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Prepay.Domain"], prepay);
        Assert.DoesNotContain(Closure(assembly), a => Infrastructure.Any(i => a.StartsWith(i, StringComparison.Ordinal)));
        Assert.All(assembly.GetReferencedAssemblies().Select(r => r.Name!),
            r => Assert.True(r is "NodaTime" or "netstandard" || r.StartsWith("System", StringComparison.Ordinal) || r.StartsWith("Prepay.", StringComparison.Ordinal), r));
    }

    [Fact]
    public void The_simulator_needs_neither_the_head_end_nor_storage_nor_EF_Core_nor_ASP_NET_Core()
    {
        var closure = Closure(Assembly.Load("Prepay.Simulator"));
        Assert.Contains("Prepay.MeterLink", closure);
        Assert.DoesNotContain("Prepay.HeadEnd", closure);
        Assert.DoesNotContain(closure, a => a.StartsWith("Prepay.Storage", StringComparison.Ordinal)
            || a.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || a.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_deterministic_simulation_runs_the_real_meter_and_policy_on_no_infrastructure_and_no_server_module()
    {
        var closure = Closure(Assembly.Load("Prepay.Simulation"));
        Assert.Contains("Prepay.Meter", closure);
        Assert.Contains("Prepay.Policy", closure);
        Assert.Contains("Prepay.Ledger", closure);
        // One process, one seeded scheduler: no database, broker, web host or module that would bring real time and I/O.
        Assert.DoesNotContain(closure, a => Infrastructure.Any(i => a.StartsWith(i, StringComparison.Ordinal)));
        Assert.DoesNotContain(closure, a => a is "Prepay.HeadEnd" or "Prepay.Vending" or "Prepay.Alerts" or "Prepay.Server" or "Prepay.Disconnections");
    }

    [Fact]
    public void Revenue_protection_detectors_reference_only_the_domain_of_Prepay_and_no_infrastructure()
    {
        var references = Assembly.Load("Prepay.RevenueProtection").GetReferencedAssemblies().Select(r => r.Name!).ToList();
        Assert.Contains("Prepay.Domain", references);
        Assert.All(references.Where(r => r.StartsWith("Prepay.", StringComparison.Ordinal)), r => Assert.Equal("Prepay.Domain", r));
        Assert.DoesNotContain(references, r => Infrastructure.Any(i => r.StartsWith(i, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_disconnection_policy_references_only_the_domain_of_Prepay_and_no_infrastructure()
    {
        var assembly = Assembly.Load("Prepay.Policy");
        var prepay = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(r => r.StartsWith("Prepay.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Prepay.Domain"], prepay);
        Assert.DoesNotContain(Closure(assembly), a => Infrastructure.Any(i => a.StartsWith(i, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_head_end_asks_the_disconnection_gate_through_its_own_seam_and_knows_neither_the_gate_nor_the_policy()
    {
        var closure = Closure(Assembly.Load("Prepay.HeadEnd"));
        Assert.DoesNotContain("Prepay.Disconnections", closure);
        Assert.DoesNotContain("Prepay.Policy", closure);
        Assert.Contains("Prepay.HeadEnd", Closure(Assembly.Load("Prepay.Disconnections")));
    }

    [Fact]
    public void Statements_read_what_central_credit_and_the_ledger_keep_and_nothing_below_them_depends_on_statements()
    {
        var closure = Closure(Assembly.Load("Prepay.Statements"));
        Assert.Contains("Prepay.CentralCredit", closure);
        Assert.Contains("Prepay.Alerts", closure);
        Assert.DoesNotContain("Prepay.Server", closure);
        foreach (var module in new[] { "Prepay.CentralCredit", "Prepay.Alerts", "Prepay.Vending", "Prepay.HeadEnd", "Prepay.Storage", "Prepay.Payments", "Prepay.Disconnections" })
        {
            Assert.DoesNotContain("Prepay.Statements", Closure(Assembly.Load(module)));
        }
    }
}
