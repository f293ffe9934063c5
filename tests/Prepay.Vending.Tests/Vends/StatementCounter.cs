using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Prepay.Vending.Tests.Vends;

/// <summary>What some database work cost: SQL statements sent and round trips to the database.</summary>
/// <remarks>
/// A round trip is one command executed (a batch of several statements is one) or one COMMIT/ROLLBACK. BEGIN is
/// counted as a statement but not as a round trip: Npgsql sends it with the transaction's first command, and SQLite's
/// <c>BEGIN IMMEDIATE</c> is a call into the library in this process. Statements run by triggers are not seen here.
/// </remarks>
public sealed record DatabaseCost(int Statements, int RoundTrips, IReadOnlyList<string> Commands)
{
    public override string ToString() => $"{Statements} statements in {RoundTrips} round trips";
}

/// <summary>
/// Counts the statements and round trips of the database work done by the code that runs inside
/// <see cref="Start"/>'s scope (an <see cref="AsyncLocal{T}"/>), from EF Core's diagnostic events: what a server's
/// background services do meanwhile flows in other execution contexts and is not counted.
/// </summary>
/// <remarks>
/// EF Core remembers for a second that nobody listened to a kind of event, so <see cref="Listen"/> must run before the
/// server whose work is counted makes its first database context (the counting fixtures call it in their constructor).
/// </remarks>
public static class StatementCounter
{
    private static readonly AsyncLocal<Tally?> Current = new();
    private static int _listening;

    public static void Listen()
    {
        if (Interlocked.Exchange(ref _listening, 1) == 0)
        {
            DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    /// <summary>Counts until disposed; <see cref="Scope.Cost"/> is what ran in this execution context meanwhile.</summary>
    public static Scope Start()
    {
        Listen();
        var tally = new Tally();
        Current.Value = tally;
        return new Scope(tally);
    }

    public sealed class Scope : IDisposable
    {
        private readonly Tally _tally;

        internal Scope(Tally tally) => _tally = tally;

        public DatabaseCost Cost
        {
            get
            {
                lock (_tally)
                {
                    return new DatabaseCost(_tally.Statements, _tally.RoundTrips, [.. _tally.Commands]);
                }
            }
        }

        public void Dispose() => Current.Value = null;
    }

    internal sealed class Tally
    {
        public int Statements;
        public int RoundTrips;
        public readonly List<string> Commands = [];

        public void Command(DbCommand command)
        {
            lock (this)
            {
                Statements += CountStatements(command.CommandText);
                RoundTrips++;
                Commands.Add(command.CommandText);
            }
        }

        public void Savepoint(string what)
        {
            lock (this)
            {
                Statements++; // SAVEPOINT, RELEASE or ROLLBACK TO, each sent on its own
                RoundTrips++;
                Commands.Add(what);
            }
        }

        public void TransactionEnded(string how)
        {
            lock (this)
            {
                Statements += 2; // BEGIN, and COMMIT or ROLLBACK
                RoundTrips++;
                Commands.Add(how);
            }
        }
    }

    /// <summary>Statements in a command's text: the semicolons outside quotes, plus a last one without.</summary>
    public static int CountStatements(string sql)
    {
        var count = 0;
        var open = '\0';
        var pending = false;
        foreach (var c in sql)
        {
            if (open != '\0')
            {
                open = c == open ? '\0' : open;
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    open = c;
                    pending = true;
                    break;
                case ';':
                    if (pending)
                    {
                        count++;
                    }
                    pending = false;
                    break;
                default:
                    pending |= !char.IsWhiteSpace(c);
                    break;
            }
        }
        return pending ? count + 1 : count;
    }

    private static readonly HashSet<string> Savepoints =
    [
        RelationalEventId.CreatedTransactionSavepoint.Name!, RelationalEventId.ReleasedTransactionSavepoint.Name!,
        RelationalEventId.RolledBackToTransactionSavepoint.Name!,
    ];

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                listener.Subscribe(new EventObserver(), name =>
                    name == RelationalEventId.CommandExecuted.Name || name == RelationalEventId.CommandError.Name
                    || name == RelationalEventId.TransactionCommitted.Name || name == RelationalEventId.TransactionRolledBack.Name
                    || Savepoints.Contains(name));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (Current.Value is not { } tally)
            {
                return;
            }
            switch (e.Value)
            {
                case CommandEndEventData command:
                    tally.Command(command.Command);
                    break;
                case TransactionEndEventData:
                    tally.TransactionEnded(e.Key == RelationalEventId.TransactionCommitted.Name ? "COMMIT" : "ROLLBACK");
                    break;
                case TransactionEventData when Savepoints.Contains(e.Key):
                    tally.Savepoint(e.Key);
                    break;
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
