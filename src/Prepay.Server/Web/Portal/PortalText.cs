using NodaTime;

namespace Prepay.Server.Web.Portal;

/// <summary>How the portal words what meters report; every state is said in words, never by colour alone.</summary>
public static class PortalText
{
    public static string Relay(string? relay) => relay?.ToLowerInvariant() switch
    {
        "connected" or "closed" or "on" => "On: the supply is connected",
        "disconnected" or "open" or "off" => "Off: the supply is disconnected until you top up",
        null => "Not reported yet",
        var other => other,
    };

    public static string LastSeen(Instant? at, bool? online, Instant now)
    {
        if (at is not { } seen)
        {
            return "Never";
        }
        var ago = now - seen;
        var when = ago < Duration.FromMinutes(1) ? "just now"
            : ago < Duration.FromHours(1) ? $"{(long)ago.TotalMinutes} min ago"
            : ago < Duration.FromDays(2) ? $"{(long)ago.TotalHours} h ago"
            : $"{(long)ago.TotalDays} days ago";
        return online switch
        {
            true => $"{when} (online)",
            false => $"{when} (offline)",
            null => when,
        };
    }
}
