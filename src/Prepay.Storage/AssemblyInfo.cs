namespace Prepay.Storage;
