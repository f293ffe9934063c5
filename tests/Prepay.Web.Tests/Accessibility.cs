using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Prepay.Web.Tests;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright, axe-core 4.14) run in the page as it is now, against WCAG 2.0/2.1 A and AA
/// and axe's best practices. Any browser test can call <see cref="AssertNoSeriousViolationsAsync"/> after it has
/// brought a page into the state it wants checked (a form with its errors, a live page after an update).
/// </summary>
public static class Accessibility
{
    private static readonly string[] Serious = ["serious", "critical"];

    /// <summary>The violations of impact serious or critical, each as one line (rule, what it asks, where).</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        return [.. result.Violations
            .Where(v => Serious.Contains(v.Impact))
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")];
    }

    /// <summary>Fails the test with every serious or critical violation on the page, naming the page.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{what} ({page.Url}) has serious accessibility violations:\n" + string.Join("\n", violations));
    }
}
