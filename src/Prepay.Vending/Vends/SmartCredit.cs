using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Vending.Tokens;

namespace Prepay.Vending.Vends;

/// <summary>
/// What a smart meter is sent for a sale, queued in the sale's own transaction. A smart meter with a keypad decoder
/// gets the sale's STS tokens (<c>deliverToken</c>), the same tokens the receipt shows, so that a customer whose meter
/// is offline can type them: the decoder's TID memory applies each once, whichever way it arrives first. Any other
/// smart meter gets its energy (<c>addCredit</c>).
/// </summary>
internal static class SmartCredit
{
    /// <returns>Whether a command was queued (the dispatcher is then woken after commit).</returns>
    public static bool Enqueue(PrepayDb db, Meter meter, Energy energy, IReadOnlyList<IssuedCreditToken>? credit, IReadOnlyList<string>? keyChangeTokens, Instant now, Guid vendId)
    {
        if (meter.Mode != MeterMode.Smart)
        {
            return false;
        }

        if (meter.HasStsDecoder && credit is not null)
        {
            // One command, tokens in the order they must be entered: IEC 62055-41 §6.3.4, the key change set first
            // (the credit tokens are made with the new key), then the credit tokens.
            List<string> tokens = [.. keyChangeTokens ?? [], .. energy > Energy.Zero ? credit.Select(c => c.Token) : []];
            if (tokens.Count == 0)
            {
                return false;
            }

            CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, new DeliverToken(tokens), now, CreditCommandReference.For(vendId));
            return true;
        }

        if (energy > Energy.Zero)
        {
            CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, new AddCredit(energy), now, CreditCommandReference.For(vendId));
            return true;
        }

        return false;
    }
}
