using Prepay.MeterLink.Commands;
using Prepay.Policy.Decisions;

namespace Prepay.Disconnections.Gate;

/// <summary>
/// Why a queued command would cut: read from the command and the reference it was queued with. The prefixes are
/// written by the use cases that queue (<see cref="ReferencePrefix"/>); a command of unknown origin counts as the
/// API's, for every reason passes the same rules.
/// </summary>
public static class CutReasons
{
    public static class ReferencePrefix
    {
        public const string Operator = "operator: ";
        public const string Api = "api: ";
        public const string CentralCredit = "central-credit: ";
    }

    public static DisconnectionReason Of(MeterCommand command, string? reference) => command switch
    {
        SetThresholds => DisconnectionReason.Thresholds,
        _ when reference?.StartsWith(ReferencePrefix.CentralCredit, StringComparison.Ordinal) == true => DisconnectionReason.CreditExhausted,
        _ when reference?.StartsWith(ReferencePrefix.Operator, StringComparison.Ordinal) == true => DisconnectionReason.OperatorCommand,
        _ => DisconnectionReason.Api,
    };
}
