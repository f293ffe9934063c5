using System.Runtime.CompilerServices;

// The ledger tests check that the postings of a vend balance and leave the quote's remainder on the customer.
[assembly: InternalsVisibleTo("Prepay.Ledger.Tests")]
