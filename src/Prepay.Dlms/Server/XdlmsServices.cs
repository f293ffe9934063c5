using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;

namespace Prepay.Dlms.Server;

/// <summary>
/// GET, SET and ACTION (Green Book, xDLMS services with logical-name referencing) on the objects of one
/// association, within its access rights: normal, with-list, and block transfer both ways (a long GET answer goes
/// out in numbered blocks the client asks for with GET-Request-Next; a long SET value or ACTION parameter comes in
/// numbered blocks that are joined before the object sees them).
/// </summary>
internal sealed class XdlmsServices(DlmsServerOptions options, AssociationLn association, bool ciphered)
{
    // Room left in a PDU for the response header (and, when ciphered, the security header, tag and length).
    private int BlockSize => Math.Max(16, association.MaxSendPduSize - (ciphered ? 40 : 20));

    private byte[]? _outgoing;
    private uint _outgoingBlock;
    private int _outgoingOffset;
    private PendingInput? _incoming;

    private sealed record PendingInput(bool IsSet, CosemAttributeDescriptor Attribute, CosemMethodDescriptor Method, uint BlockNumber, List<byte> Bytes);

    public Apdu Handle(Apdu request) => request switch
    {
        GetRequestNormal get => LongAnswer(get.Invoke, Read(get.Attribute, get.Access)),
        GetRequestWithList list => LongList(list),
        GetRequestNext next => NextBlock(next),
        SetRequestNormal set => new SetResponseNormal(set.Invoke, Write(set.Attribute, set.Value)),
        SetRequestWithList list => new SetResponseWithList(list.Invoke,
            new ValueList<DataAccessResult>(list.Attributes.Zip(list.Values, (a, v) => Write(a.Attribute, v)))),
        SetRequestWithFirstDataBlock first => FirstSetBlock(first),
        SetRequestWithDataBlock block => NextSetBlock(block),
        ActionRequestNormal action => new ActionResponseNormal(action.Invoke, Call(action.Method, action.Parameters)),
        ActionRequestWithList list => new ActionResponseWithList(list.Invoke,
            new ValueList<ActionOutcome>(list.Methods.Zip(list.Parameters, Call))),
        ActionRequestWithFirstPBlock first => FirstActionBlock(first),
        ActionRequestWithPBlock block => NextActionBlock(block),
        _ => new ExceptionResponse(StateError.ServiceUnknown, ServiceError.ServiceNotSupported),
    };

    private ICosemObject? Find(ushort classId, ObisCode name) =>
        name == association.LogicalName && classId == AssociationLn.Class
            ? association
            : options.ServedObjects.FirstOrDefault(o => o.LogicalName == name && o.ClassId == classId);

    private GetDataResult Read(CosemAttributeDescriptor attribute, SelectiveAccess? access)
    {
        if (Find(attribute.ClassId, attribute.Instance) is not { } target)
        {
            return new GetDataFailure(DataAccessResult.ObjectUndefined);
        }
        if (!association.Rights.CanRead(target, attribute.AttributeId))
        {
            return new GetDataFailure(DataAccessResult.ReadWriteDenied);
        }
        var read = target.Get(attribute.AttributeId, access);
        return read.Value is { } value && read.Result == DataAccessResult.Success ? new GetDataValue(value) : new GetDataFailure(read.Result);
    }

    private DataAccessResult Write(CosemAttributeDescriptor attribute, DlmsValue value)
    {
        if (Find(attribute.ClassId, attribute.Instance) is not { } target)
        {
            return DataAccessResult.ObjectUndefined;
        }
        return association.Rights.CanWrite(target, attribute.AttributeId) ? target.Set(attribute.AttributeId, value) : DataAccessResult.ReadWriteDenied;
    }

    private ActionOutcome Call(CosemMethodDescriptor method, DlmsValue? parameters)
    {
        if (Find(method.ClassId, method.Instance) is not { } target)
        {
            return new ActionOutcome(ActionResult.ObjectUndefined);
        }
        if (!association.Rights.Method(target, method.MethodId))
        {
            return new ActionOutcome(ActionResult.ReadWriteDenied);
        }
        var outcome = target.Invoke(method.MethodId, parameters);
        return new ActionOutcome(outcome.Result, outcome.ReturnValue is { } r ? new GetDataValue(r) : null);
    }

    // A GET answer longer than the client's PDU goes out as DataBlock-G, raw data = the encoded Data value.
    private GetResponse LongAnswer(InvokeIdAndPriority invoke, GetDataResult result)
    {
        var single = new GetResponseNormal(invoke, result);
        if (result is not GetDataValue value || single.Encode().Length <= association.MaxSendPduSize - (ciphered ? 20 : 0))
        {
            return single;
        }
        return StartBlocks(invoke, value.Value.Encode());
    }

    // For with-list the raw data is the SEQUENCE OF Get-Data-Result: a count, then each result.
    private GetResponse LongList(GetRequestWithList list)
    {
        var results = new ValueList<GetDataResult>(list.Attributes.Select(a => Read(a.Attribute, a.Access)));
        var single = new GetResponseWithList(list.Invoke, results);
        var encoded = single.Encode();
        if (encoded.Length <= association.MaxSendPduSize - (ciphered ? 20 : 0))
        {
            return single;
        }
        return StartBlocks(list.Invoke, encoded[3..]);
    }

    private GetResponse StartBlocks(InvokeIdAndPriority invoke, byte[] raw)
    {
        _outgoing = raw;
        _outgoingBlock = 0;
        _outgoingOffset = 0;
        return EmitBlock(invoke);
    }

    private GetResponse NextBlock(GetRequestNext next)
    {
        if (_outgoing is null)
        {
            return new GetResponseWithDataBlock(next.Invoke, true, next.BlockNumber, Octets.Empty, DataAccessResult.NoLongGetInProgress);
        }
        if (next.BlockNumber != _outgoingBlock)
        {
            _outgoing = null;
            return new GetResponseWithDataBlock(next.Invoke, true, next.BlockNumber, Octets.Empty, DataAccessResult.DataBlockNumberInvalid);
        }
        return EmitBlock(next.Invoke);
    }

    private GetResponseWithDataBlock EmitBlock(InvokeIdAndPriority invoke)
    {
        var raw = _outgoing!;
        int length = Math.Min(BlockSize, raw.Length - _outgoingOffset);
        var chunk = new Octets(raw.AsSpan(_outgoingOffset, length));
        _outgoingOffset += length;
        _outgoingBlock++;
        bool last = _outgoingOffset >= raw.Length;
        if (last)
        {
            _outgoing = null;
        }
        return new GetResponseWithDataBlock(invoke, last, _outgoingBlock, chunk);
    }

    private SetResponse FirstSetBlock(SetRequestWithFirstDataBlock first)
    {
        _incoming = new PendingInput(true, first.Attribute, default, 0, []);
        return AppendSetBlock(first.Invoke, first.Block);
    }

    private SetResponse NextSetBlock(SetRequestWithDataBlock block) => _incoming is { IsSet: true }
        ? AppendSetBlock(block.Invoke, block.Block)
        : new SetResponseLastDataBlock(block.Invoke, DataAccessResult.NoLongSetInProgress, block.Block.BlockNumber);

    private SetResponse AppendSetBlock(InvokeIdAndPriority invoke, DataBlock block)
    {
        var pending = _incoming!;
        if (block.BlockNumber != pending.BlockNumber + 1)
        {
            _incoming = null;
            return new SetResponseLastDataBlock(invoke, DataAccessResult.DataBlockNumberInvalid, block.BlockNumber);
        }
        pending.Bytes.AddRange(block.RawData.Span);
        _incoming = pending with { BlockNumber = block.BlockNumber };
        if (!block.LastBlock)
        {
            return new SetResponseDataBlock(invoke, block.BlockNumber);
        }
        _incoming = null;
        var result = Joined(pending.Bytes) is { } value ? Write(pending.Attribute, value) : DataAccessResult.TypeUnmatched;
        return new SetResponseLastDataBlock(invoke, result, block.BlockNumber);
    }

    private ActionResponse FirstActionBlock(ActionRequestWithFirstPBlock first)
    {
        _incoming = new PendingInput(false, default, first.Method, 0, []);
        return AppendActionBlock(first.Invoke, first.Block);
    }

    private ActionResponse NextActionBlock(ActionRequestWithPBlock block) => _incoming is { IsSet: false }
        ? AppendActionBlock(block.Invoke, block.Block)
        : new ActionResponseNormal(block.Invoke, new ActionOutcome(ActionResult.NoLongActionInProgress));

    private ActionResponse AppendActionBlock(InvokeIdAndPriority invoke, DataBlock block)
    {
        var pending = _incoming!;
        if (block.BlockNumber != pending.BlockNumber + 1)
        {
            _incoming = null;
            return new ActionResponseNormal(invoke, new ActionOutcome(ActionResult.LongActionAborted));
        }
        pending.Bytes.AddRange(block.RawData.Span);
        _incoming = pending with { BlockNumber = block.BlockNumber };
        if (!block.LastBlock)
        {
            return new ActionResponseNextPBlock(invoke, block.BlockNumber);
        }
        _incoming = null;
        var outcome = Joined(pending.Bytes) is { } value ? Call(pending.Method, value) : new ActionOutcome(ActionResult.TypeUnmatched);
        return new ActionResponseNormal(invoke, outcome);
    }

    private static DlmsValue? Joined(List<byte> bytes)
    {
        try
        {
            return DlmsValue.Decode(bytes.ToArray());
        }
        catch (DlmsFormatException)
        {
            return null;
        }
    }
}
