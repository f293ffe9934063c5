using Prepay.Alerts.Channels;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Tests;

/// <summary>
/// Standard Webhooks signatures: the worked examples of <c>docs/webhooks.md</c> (the first is the specification's
/// own), read from the page itself so that the page and the code cannot drift apart; several signatures during a
/// rotation; a wrong secret, body, id or timestamp refused.
/// </summary>
public sealed class WebhookSignatureTests
{
    /// <summary>The <c>```example</c> blocks of docs/webhooks.md, each as its "name: value" lines.</summary>
    private static IReadOnlyList<Dictionary<string, string>> Examples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Prepay.sln")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var lines = File.ReadAllLines(Path.Combine(dir.FullName, "docs", "webhooks.md"));
        var examples = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in lines)
        {
            if (line == "```example")
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (line == "```" && current is not null)
            {
                examples.Add(current);
                current = null;
            }
            else if (current is not null)
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                current[line[..colon]] = line[(colon + 2)..];
            }
        }
        return examples;
    }

    [Fact]
    public void The_specifications_example_in_the_docs_is_signed_and_verified_as_the_docs_say()
    {
        var e = Examples()[0];
        Assert.Equal($"{e["webhook-id"]}.{e["webhook-timestamp"]}.{e["body"]}", e["signed content"]);
        Assert.Equal(e["webhook-signature"], WebhookSignature.Sign(e["secret"], e["webhook-id"], long.Parse(e["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture), e["body"]));
        Assert.True(WebhookSignature.Verify(e["secret"], e["webhook-id"], e["webhook-timestamp"], e["body"], e["webhook-signature"]));
    }

    [Fact]
    public void The_rotation_example_in_the_docs_carries_both_signatures_and_each_secret_verifies_alone()
    {
        var e = Examples()[1];
        var hook = new WebhookSubscription
        {
            Url = "https://receiver.example/hooks", EventKinds = "topUp", Secret = e["secret"],
            PreviousSecret = e["previous secret"], PreviousSecretUntil = NodaTime.Instant.FromUnixTimeSeconds(1_796_371_200 + 60),
        };
        var at = NodaTime.Instant.FromUnixTimeSeconds(long.Parse(e["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        var header = WebhookSignature.SignAll(WebhookSecrets.InForce(hook, at), e["webhook-id"], at.ToUnixTimeSeconds(), e["body"]);
        Assert.Equal(e["webhook-signature"], header);
        Assert.True(WebhookSignature.Verify(e["secret"], e["webhook-id"], e["webhook-timestamp"], e["body"], header));
        Assert.True(WebhookSignature.Verify(e["previous secret"], e["webhook-id"], e["webhook-timestamp"], e["body"], header));
        // Once the overlap is over, only the new secret signs.
        Assert.Equal([e["secret"]], WebhookSecrets.InForce(hook, at + NodaTime.Duration.FromMinutes(1)));
    }

    [Fact]
    public void A_wrong_secret_body_id_or_timestamp_does_not_verify()
    {
        var e = Examples()[0];
        var (secret, id, ts, body, sig) = (e["secret"], e["webhook-id"], e["webhook-timestamp"], e["body"], e["webhook-signature"]);
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), id, ts, body, sig));
        Assert.False(WebhookSignature.Verify(secret, id, ts, body.Replace("2432232314", "2432232315", StringComparison.Ordinal), sig));
        Assert.False(WebhookSignature.Verify(secret, id + "x", ts, body, sig));
        Assert.False(WebhookSignature.Verify(secret, id, "1614265331", body, sig));
        Assert.False(WebhookSignature.Verify(secret, id, ts, body, "v2," + sig[3..]));
        Assert.False(WebhookSignature.Verify(secret, id, ts, body, "v1,not-base64"));
        Assert.False(WebhookSignature.Verify(secret, id, ts, body, ""));
    }

    [Fact]
    public void A_rotation_keeps_the_old_secret_for_the_overlap_only_and_two_secrets_at_most()
    {
        var t0 = NodaTime.Instant.FromUtc(2026, 12, 3, 8, 0);
        var first = WebhookSignature.NewSecret();
        var hook = new WebhookSubscription { Url = "https://receiver.example/hooks", EventKinds = "topUp", Secret = first };
        var second = WebhookSecrets.Rotate(hook, t0, NodaTime.Duration.FromHours(24));
        Assert.Equal([second, first], WebhookSecrets.InForce(hook, t0 + NodaTime.Duration.FromHours(23)));
        Assert.Equal([second], WebhookSecrets.InForce(hook, t0 + NodaTime.Duration.FromHours(24)));

        var third = WebhookSecrets.Rotate(hook, t0 + NodaTime.Duration.FromHours(1), NodaTime.Duration.FromHours(24));
        Assert.Equal([third, second], WebhookSecrets.InForce(hook, t0 + NodaTime.Duration.FromHours(2)));

        var fourth = WebhookSecrets.Rotate(hook, t0 + NodaTime.Duration.FromHours(3), NodaTime.Duration.Zero);
        Assert.Equal([fourth], WebhookSecrets.InForce(hook, t0 + NodaTime.Duration.FromHours(3)));
        Assert.All(new[] { first, second, third, fourth }, s => Assert.Equal(32, WebhookSignature.Key(s).Length));
    }

    [Fact]
    public void A_secret_made_before_the_standard_signs_with_the_key_its_text_decodes_to()
    {
        // whsec_ and 64 hex digits, as subscriptions were made before: valid base64, 48 bytes of key.
        var legacy = "whsec_" + new string('a', 32) + new string('0', 32);
        Assert.Equal(48, WebhookSignature.Key(legacy).Length);
        var sig = WebhookSignature.Sign(legacy, "id", 1, "{}");
        Assert.True(WebhookSignature.Verify(legacy, "id", "1", "{}", sig));
    }
}
