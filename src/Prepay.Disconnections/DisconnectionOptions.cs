using Prepay.Policy.Documents;
using Prepay.Policy.Presets;

namespace Prepay.Disconnections;

/// <summary>
/// Settings of the gate (section <c>Disconnections</c>). <see cref="DefaultPolicy"/> decides for a meter whose
/// customer and site have no policy assigned: the conservative preset unless the operator names another
/// (<c>DefaultPolicy</c>, a preset's code) or gives their own document (<c>DefaultPolicyFile</c>, read and checked at
/// start, so a bad file stops the server with the JSON path of its problem rather than leaving meters unguarded).
/// </summary>
public sealed class DisconnectionOptions
{
    public PolicyDocument DefaultPolicy { get; init; } = PolicyPresets.Conservative;

    /// <summary>How often held disconnections are asked about again (they are also asked when due).</summary>
    public TimeSpan ReleaseInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether meters that cut themselves are told the policy's rules (<c>Disconnections:PushPolicies</c>). Off by
    /// default: a meter's commands go one at a time, so a meter whose firmware ignores <c>setCreditPolicy</c> without
    /// answering would hold back its later commands (its credit) until the command expires. Turn it on once the
    /// fleet's firmware takes it (the simulator's does).
    /// </summary>
    public bool PushPolicies { get; init; }

    /// <summary>How often meters that cut themselves are checked for policy rules they have not been told.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads the section's keys; throws <see cref="InvalidOperationException"/> naming the key that is wrong.</summary>
    public static DisconnectionOptions From(string? presetCode, string? policyFile, TimeSpan? releaseInterval, TimeSpan? pushInterval = null, bool pushPolicies = false)
    {
        var policy = PolicyPresets.Conservative;
        if (!string.IsNullOrWhiteSpace(policyFile))
        {
            try
            {
                policy = PolicyDocumentJson.Parse(File.ReadAllText(policyFile));
            }
            catch (Exception e) when (e is PolicyFormatException or System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"Disconnections:DefaultPolicyFile '{policyFile}': {e.Message}", e);
            }
        }
        else if (!string.IsNullOrWhiteSpace(presetCode))
        {
            policy = PolicyPresets.Codes.Contains(presetCode)
                ? PolicyPresets.Load(presetCode)
                : throw new InvalidOperationException($"Disconnections:DefaultPolicy '{presetCode}' is no preset (known: {string.Join(", ", PolicyPresets.Codes)}).");
        }
        var interval = releaseInterval ?? TimeSpan.FromSeconds(30);
        if (interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Disconnections:ReleaseInterval must be positive.");
        }
        var push = pushInterval ?? TimeSpan.FromMinutes(5);
        if (push <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Disconnections:PushInterval must be positive.");
        }
        return new DisconnectionOptions { DefaultPolicy = policy, ReleaseInterval = interval, PushInterval = push, PushPolicies = pushPolicies };
    }
}
