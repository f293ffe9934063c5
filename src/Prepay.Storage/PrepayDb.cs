using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Domain.Vendors;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage.Model;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Payments;
using Prepay.Storage.Records.People;

namespace Prepay.Storage;

/// <summary>
/// The one schema, for both providers. Each provider has its own subclass only so that each keeps its own
/// migrations (<see cref="SqliteDb"/>, <see cref="PostgresDb"/>). Money is guarded here as much as in code:
/// postings are positive and between two accounts of their own currency, account balances are maintained by a
/// trigger from postings and checked against their minimum, postings cannot be changed or deleted, and an
/// idempotency key can be claimed once. People who sign in to the web pages are ASP.NET Core Identity accounts in
/// the same database (<see cref="PersonAccount"/>).
/// </summary>
public abstract class PrepayDb(DbContextOptions options) : IdentityDbContext<PersonAccount, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Customer> Customers => Set<Customer>();

    /// <summary>
    /// The web's data-protection key ring (sign-in cookies, forms' antiforgery tokens, the authenticator step), shared
    /// by every node on this database; each key's XML is encrypted before it is stored (see the server's KeyRing).
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Premises> Premises => Set<Premises>();
    public DbSet<Meter> Meters => Set<Meter>();
    public DbSet<MeterInstallation> MeterInstallations => Set<MeterInstallation>();
    public DbSet<TariffAssignment> TariffAssignments => Set<TariffAssignment>();
    public DbSet<TariffVersion> Tariffs => Set<TariffVersion>();
    public DbSet<Vendor> Vendors => Set<Vendor>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<StoredTransaction> LedgerTransactions => Set<StoredTransaction>();
    public DbSet<StoredPosting> Postings => Set<StoredPosting>();
    public DbSet<VendRecord> Vends => Set<VendRecord>();
    public DbSet<VendReversal> VendReversals => Set<VendReversal>();
    public DbSet<IdempotencyClaim> IdempotencyClaims => Set<IdempotencyClaim>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<AuditRecord> Audit => Set<AuditRecord>();
    public DbSet<MeterCommandRecord> MeterCommands => Set<MeterCommandRecord>();
    public DbSet<ManagementTokenRecord> ManagementTokens => Set<ManagementTokenRecord>();
    public DbSet<IntervalReading> Readings => Set<IntervalReading>();
    public DbSet<ReadingAdjustment> ReadingAdjustments => Set<ReadingAdjustment>();
    public DbSet<MeterEventRecord> MeterEvents => Set<MeterEventRecord>();
    public DbSet<MeterStatusRecord> MeterStatus => Set<MeterStatusRecord>();
    public DbSet<DlmsEndpointRecord> DlmsEndpoints => Set<DlmsEndpointRecord>();
    public DbSet<PayloadRejection> PayloadRejections => Set<PayloadRejection>();
    public DbSet<Records.Campaigns.KeyChangeCampaignRecord> KeyChangeCampaigns => Set<Records.Campaigns.KeyChangeCampaignRecord>();
    public DbSet<Records.Campaigns.KeyChangeCampaignMeterRecord> KeyChangeCampaignMeters => Set<Records.Campaigns.KeyChangeCampaignMeterRecord>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<OperatorAlert> OperatorAlerts => Set<OperatorAlert>();
    public DbSet<PaymentSession> PaymentSessions => Set<PaymentSession>();
    public DbSet<PaymentCallback> PaymentCallbacks => Set<PaymentCallback>();
    public DbSet<PaymentRefund> PaymentRefunds => Set<PaymentRefund>();
    public DbSet<Records.Approvals.MoneyApproval> MoneyApprovals => Set<Records.Approvals.MoneyApproval>();
    public DbSet<Records.Policies.DisconnectionPolicyVersion> DisconnectionPolicies => Set<Records.Policies.DisconnectionPolicyVersion>();
    public DbSet<Records.Policies.DisconnectionPolicyAssignment> DisconnectionPolicyAssignments => Set<Records.Policies.DisconnectionPolicyAssignment>();
    public DbSet<Records.Policies.DisconnectionDecisionRecord> DisconnectionDecisions => Set<Records.Policies.DisconnectionDecisionRecord>();

    public DbSet<Records.CentralCredit.MeterCreditModelRecord> MeterCreditModels => Set<Records.CentralCredit.MeterCreditModelRecord>();
    public DbSet<Records.CentralCredit.PricedIntervalRecord> CentralCreditIntervals => Set<Records.CentralCredit.PricedIntervalRecord>();
    public DbSet<Records.CentralCredit.PostedAdjustmentRecord> CentralCreditAdjustments => Set<Records.CentralCredit.PostedAdjustmentRecord>();
    public DbSet<Records.CentralCredit.ChargedDayRecord> CentralCreditDays => Set<Records.CentralCredit.ChargedDayRecord>();
    public DbSet<Records.CentralCredit.CentralCreditStateRecord> CentralCreditStates => Set<Records.CentralCredit.CentralCreditStateRecord>();
    public DbSet<Records.CentralCredit.PendingIntervalRecord> CentralCreditPending => Set<Records.CentralCredit.PendingIntervalRecord>();
    public DbSet<Records.CentralCredit.BalanceComparisonRecord> BalanceComparisons => Set<Records.CentralCredit.BalanceComparisonRecord>();
    public DbSet<Records.Statements.StatementDisputeRecord> StatementDisputes => Set<Records.Statements.StatementDisputeRecord>();
    public DbSet<Records.Statements.StatementDigestRecord> StatementDigests => Set<Records.Statements.StatementDigestRecord>();
    public DbSet<Records.Revenue.FindingRecord> Findings => Set<Records.Revenue.FindingRecord>();
    public DbSet<Records.Reports.ReportScheduleRecord> ReportSchedules => Set<Records.Reports.ReportScheduleRecord>();
    public DbSet<NotificationAttachment> NotificationAttachments => Set<NotificationAttachment>();

    public abstract DatabaseProvider Provider { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Instant>().HaveConversion<InstantConverter>();
        configurationBuilder.Properties<LocalDate>().HaveConversion<LocalDateConverter>().HaveMaxLength(10);
        configurationBuilder.Properties<string>().HaveMaxLength(200);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder); // Identity's tables, renamed in PeopleModel
        var b = builder;
        b.Entity<Customer>(e =>
        {
            e.ToTable("customers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Phone);
        });
        b.Entity<Site>(e =>
        {
            e.ToTable("sites");
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        });
        b.Entity<Premises>(e =>
        {
            e.ToTable("premises");
            e.HasIndex(x => new { x.SiteId, x.Label }).IsUnique();
            e.Property(x => x.Label).HasMaxLength(40);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Meter>(e =>
        {
            e.ToTable("meters", t =>
            {
                t.HasCheckConstraint("ck_meters_resolution", "resolution_wh > 0");
                t.HasCheckConstraint("ck_meters_last_token_id", "last_token_id >= 0");
                t.HasCheckConstraint("ck_meters_transport", "transport IN ('mqtt', 'dlms')");
            });
            // The last command sequence number given to the meter; written only by the meter_commands trigger, so it
            // is no part of the domain's Meter.
            e.Property<long>("LastCommandSeq").HasDefaultValue(0L);
            e.HasIndex(x => x.MeterNumber).IsUnique();
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Mode).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Transport).HasConversion(t => MeterTransports.Name(t), s => MeterTransports.Parse(s)).HasMaxLength(10);
            e.Property(x => x.EncryptionAlgorithm).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.BaseDate).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.KeyChangeToBaseDate).HasConversion<string>().HasMaxLength(10);
            e.Ignore(x => x.Sts);
            e.Ignore(x => x.IssuesStsTokens);
        });
        b.Entity<MeterInstallation>(e =>
        {
            e.ToTable("meter_installations");
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Premises>().WithMany().HasForeignKey(x => x.PremisesId).OnDelete(DeleteBehavior.Restrict);
            // At most one open installation per meter and per premises: the database keeps the history honest.
            e.HasIndex(x => x.MeterId).IsUnique().HasFilter("removed_at IS NULL").HasDatabaseName("ux_meter_installations_open_meter");
            e.HasIndex(x => x.PremisesId).IsUnique().HasFilter("removed_at IS NULL").HasDatabaseName("ux_meter_installations_open_premises");
        });
        b.Entity<TariffAssignment>(e =>
        {
            e.ToTable("tariff_assignments");
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MeterId, x.EffectiveFrom }).IsUnique();
            e.Property(x => x.TariffCode).HasMaxLength(40);
        });
        b.Entity<TariffVersion>(e =>
        {
            e.ToTable("tariffs");
            e.HasIndex(x => new { x.Code, x.Version }).IsUnique();
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Document).HasMaxLength(65536);
        });
        b.Entity<Vendor>(e =>
        {
            e.ToTable("vendors", t => t.HasCheckConstraint("ck_vendors_commission", "commission_basis_points BETWEEN 0 AND 10000"));
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
        });
        b.Entity<Account>(e =>
        {
            e.ToTable("accounts", t => t.HasCheckConstraint(WriteTransactions.MinimumBalanceConstraint, "minimum_balance IS NULL OR balance >= minimum_balance"));
            e.HasIndex(x => x.Code).IsUnique();
            e.HasAlternateKey(x => new { x.Id, x.Currency });
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            // Written only by the ledger_postings trigger, from postings; the application never sets it.
            e.Property(x => x.Balance).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate();
        });
        b.Entity<StoredTransaction>(e =>
        {
            e.ToTable("ledger_transactions");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.HasIndex(x => x.Reference);
        });
        b.Entity<StoredPosting>(e =>
        {
            e.ToTable("ledger_postings", t =>
            {
                t.HasCheckConstraint("ck_ledger_postings_positive", "amount > 0");
                t.HasCheckConstraint("ck_ledger_postings_two_accounts", "debit_account_id <> credit_account_id");
            });
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<StoredTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
            // (account, currency) foreign keys: a posting can only move money between accounts of its own currency.
            e.HasOne<Account>().WithMany().HasForeignKey(x => new { x.DebitAccountId, x.Currency })
                .HasPrincipalKey(x => new { x.Id, x.Currency }).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Account>().WithMany().HasForeignKey(x => new { x.CreditAccountId, x.Currency })
                .HasPrincipalKey(x => new { x.Id, x.Currency }).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<VendRecord>(e =>
        {
            e.ToTable("vends", t =>
            {
                t.HasCheckConstraint("ck_vends_amount", "amount_minor >= 0");
                t.HasCheckConstraint("ck_vends_energy", "energy_wh >= 0");
            });
            e.HasIndex(x => new { x.VendorId, x.IdempotencyKey }).IsUnique();
            e.HasIndex(x => new { x.MeterId, x.At });
            e.HasIndex(x => new { x.MeterId, x.TokenId }).IsUnique();
            e.Property(x => x.FreeBasicMonth).HasMaxLength(7);
            e.HasIndex(x => new { x.MeterId, x.FreeBasicMonth }).IsUnique().HasFilter("free_basic_month IS NOT NULL").HasDatabaseName("ux_vends_free_basic_month");
            e.HasIndex(x => x.At);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Token).HasMaxLength(20);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Response).HasMaxLength(65536);
            e.Property(x => x.RequestHash).HasMaxLength(64);
            e.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<StoredTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<VendReversal>(e =>
        {
            e.ToTable("vend_reversals");
            e.HasKey(x => x.VendId);
            e.HasOne<VendRecord>().WithOne().HasForeignKey<VendReversal>(x => x.VendId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<StoredTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Reason).HasMaxLength(500);
        });
        b.Entity<JobLease>(e =>
        {
            e.ToTable("job_leases");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(100);
        });
        b.Entity<IdempotencyClaim>(e =>
        {
            e.ToTable("idempotency_claims");
            e.HasKey(x => new { x.ScopeId, x.Key });
            e.Property(x => x.RequestHash).HasMaxLength(64);
        });
        b.Entity<ApiKeyRecord>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(x => x.Prefix).IsUnique();
            e.Property(x => x.Role).HasMaxLength(20);
            e.Property(x => x.Hash).HasMaxLength(64);
        });
        b.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Details).HasMaxLength(65536);
            e.HasIndex(x => x.At);
        });
        MeteringModel.Configure(b);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // SQLite's RETURNING does not see what an AFTER trigger wrote: the command's sequence number is read back
            // with a SELECT after the insert instead.
            b.Entity<MeterCommandRecord>().ToTable(t => t.UseSqlReturningClause(false));
        }
        AlertsModel.Configure(b);
        PeopleModel.Configure(b);
        PaymentsModel.Configure(b);
        ApprovalsModel.Configure(b);
        PoliciesModel.Configure(b);
        CentralCreditModel.Configure(b);
        StatementsModel.Configure(b);
        RevenueModel.Configure(b);
        ReportsModel.Configure(b);

        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase.From(property.Name));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName((key.GetDefaultName() ?? key.GetName()!).ToLowerInvariant());
            }
            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName((fk.GetDefaultName() ?? fk.GetConstraintName()!).ToLowerInvariant());
            }
            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName()!;
                index.SetDatabaseName(name.StartsWith("ux_", StringComparison.Ordinal) ? name : name.ToLowerInvariant());
            }
        }
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
