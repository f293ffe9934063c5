using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Prepay.Storage.Records.People;

namespace Prepay.Storage.Model;

/// <summary>Identity's tables under our names; columns, keys and indexes are snake_cased by <see cref="PrepayDb"/> like every other table.</summary>
internal static class PeopleModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<PersonAccount>().ToTable("people");
        b.Entity<IdentityRole<Guid>>().ToTable("people_roles");
        b.Entity<IdentityUserRole<Guid>>().ToTable("people_role_members");
        b.Entity<IdentityUserClaim<Guid>>().ToTable("people_claims");
        b.Entity<IdentityRoleClaim<Guid>>().ToTable("people_role_claims");
        b.Entity<IdentityUserLogin<Guid>>().ToTable("people_logins");
        b.Entity<IdentityUserToken<Guid>>().ToTable("people_tokens");
        b.Entity<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.Property(x => x.Xml).HasMaxLength(16384); // an encrypted key is about 1.5 KB
        });
    }
}
