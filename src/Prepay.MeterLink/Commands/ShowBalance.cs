using NodaTime;
using Prepay.Domain.Money;

namespace Prepay.MeterLink.Commands;

/// <summary>
/// Tells a meter whose credit is held centrally the money balance the server keeps for it, to show on its display:
/// <see cref="Balance"/> in minor units of its currency (negative when the account is overdrawn) as of
/// <see cref="AsOf"/>, the instant the server read it. The meter only shows it; it moves no credit and cuts nothing.
/// A meter reports what it shows back in its status (<see cref="Uplinks.MeterStatus.DisplayedBalance"/>), so the
/// server can compare the two (issue 14, item 1).
/// </summary>
public sealed record ShowBalance(Money Balance, Instant AsOf) : MeterCommand;
