namespace Prepay.Simulation;

/// <summary>
/// The SMTP server notifications reach. A notification may reach it a second time only when whoever sent it first
/// could not mark it sent: died before the mark committed, or gave the mark up (the outbox's one allowed resend,
/// which the id it carries lets receivers drop). Two live senders of one notification is the fault.
/// </summary>
internal sealed class MailSink
{
    private readonly Dictionary<long, (Node Node, long Incarnation, bool GaveUp)> _last = [];

    public int Deliveries { get; private set; }

    public int Resent { get; private set; }

    public bool Delivered(AlertRow alert) => _last.ContainsKey(alert.Id);

    public void Deliver(AlertRow alert, Node sender)
    {
        Deliveries++;
        if (alert.Sent)
        {
            throw new InvariantViolationException("alert-sent-once", $"notification {alert.Key} sent by node {sender.Index} after it was marked sent");
        }
        if (_last.TryGetValue(alert.Id, out var first))
        {
            if (first.Node.IsAlive(first.Incarnation) && !first.GaveUp)
            {
                throw new InvariantViolationException("alert-sent-once", $"notification {alert.Key} sent by node {sender.Index} while node {first.Node.Index}, which sent it first, is alive and marking it");
            }
            Resent++;
        }
        _last[alert.Id] = (sender, sender.Incarnation, false);
    }

    public void GaveUp(AlertRow alert, Node sender)
    {
        if (_last.TryGetValue(alert.Id, out var last) && last.Node == sender && last.Incarnation == sender.Incarnation)
        {
            _last[alert.Id] = last with { GaveUp = true };
        }
    }
}
