namespace Prepay.Ledger;
