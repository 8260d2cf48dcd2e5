/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const vigil = $root.vigil = (() => {

    const vigil = {};

    vigil.v1 = (function() {

        const v1 = {};

        v1.EnrollRequest = (function() {

            function EnrollRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            EnrollRequest.prototype.enrollmentToken = "";
            EnrollRequest.prototype.publicKeyPem = "";
            EnrollRequest.prototype.hostname = "";
            EnrollRequest.prototype.machineId = "";

            EnrollRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.enrollmentToken != null && Object.hasOwnProperty.call(message, "enrollmentToken"))
                    writer.uint32(10).string(message.enrollmentToken);
                if (message.publicKeyPem != null && Object.hasOwnProperty.call(message, "publicKeyPem"))
                    writer.uint32(18).string(message.publicKeyPem);
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    writer.uint32(26).string(message.hostname);
                if (message.machineId != null && Object.hasOwnProperty.call(message, "machineId"))
                    writer.uint32(34).string(message.machineId);
                return writer;
            };

            EnrollRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.EnrollRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.enrollmentToken = reader.string();
                            break;
                        }
                    case 2: {
                            message.publicKeyPem = reader.string();
                            break;
                        }
                    case 3: {
                            message.hostname = reader.string();
                            break;
                        }
                    case 4: {
                            message.machineId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return EnrollRequest;
        })();

        v1.EnrollResponse = (function() {

            function EnrollResponse(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            EnrollResponse.prototype.agentId = "";
            EnrollResponse.prototype.clientCertificatePem = "";
            EnrollResponse.prototype.caCertificatePem = "";

            EnrollResponse.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.agentId != null && Object.hasOwnProperty.call(message, "agentId"))
                    writer.uint32(10).string(message.agentId);
                if (message.clientCertificatePem != null && Object.hasOwnProperty.call(message, "clientCertificatePem"))
                    writer.uint32(18).string(message.clientCertificatePem);
                if (message.caCertificatePem != null && Object.hasOwnProperty.call(message, "caCertificatePem"))
                    writer.uint32(26).string(message.caCertificatePem);
                return writer;
            };

            EnrollResponse.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.EnrollResponse();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.agentId = reader.string();
                            break;
                        }
                    case 2: {
                            message.clientCertificatePem = reader.string();
                            break;
                        }
                    case 3: {
                            message.caCertificatePem = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return EnrollResponse;
        })();

        v1.AgentMessage = (function() {

            function AgentMessage(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            AgentMessage.prototype.hello = null;
            AgentMessage.prototype.snapshot = null;
            AgentMessage.prototype.delta = null;
            AgentMessage.prototype.heartbeat = null;
            AgentMessage.prototype.commandResult = null;

            let $oneOfFields;

            Object.defineProperty(AgentMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "snapshot", "delta", "heartbeat", "commandResult"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            AgentMessage.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.hello != null && Object.hasOwnProperty.call(message, "hello"))
                    $root.vigil.v1.Hello.encode(message.hello, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.snapshot != null && Object.hasOwnProperty.call(message, "snapshot"))
                    $root.vigil.v1.SnapshotChunk.encode(message.snapshot, writer.uint32(18).fork(), q + 1).ldelim();
                if (message.delta != null && Object.hasOwnProperty.call(message, "delta"))
                    $root.vigil.v1.Delta.encode(message.delta, writer.uint32(26).fork(), q + 1).ldelim();
                if (message.heartbeat != null && Object.hasOwnProperty.call(message, "heartbeat"))
                    $root.vigil.v1.Heartbeat.encode(message.heartbeat, writer.uint32(34).fork(), q + 1).ldelim();
                if (message.commandResult != null && Object.hasOwnProperty.call(message, "commandResult"))
                    $root.vigil.v1.CommandResult.encode(message.commandResult, writer.uint32(42).fork(), q + 1).ldelim();
                return writer;
            };

            AgentMessage.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.AgentMessage();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.hello = $root.vigil.v1.Hello.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.snapshot = $root.vigil.v1.SnapshotChunk.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 3: {
                            message.delta = $root.vigil.v1.Delta.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.heartbeat = $root.vigil.v1.Heartbeat.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.commandResult = $root.vigil.v1.CommandResult.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return AgentMessage;
        })();

        v1.Hello = (function() {

            function Hello(properties) {
                this.capabilities = [];
                this.tags = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Hello.prototype.agentVersion = "";
            Hello.prototype.agentEpoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Hello.prototype.lastAckedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Hello.prototype.capabilities = $util.emptyArray;
            Hello.prototype.tags = $util.emptyArray;

            Hello.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.agentVersion != null && Object.hasOwnProperty.call(message, "agentVersion"))
                    writer.uint32(10).string(message.agentVersion);
                if (message.agentEpoch != null && Object.hasOwnProperty.call(message, "agentEpoch"))
                    writer.uint32(16).uint64(message.agentEpoch);
                if (message.lastAckedSeq != null && Object.hasOwnProperty.call(message, "lastAckedSeq"))
                    writer.uint32(24).uint64(message.lastAckedSeq);
                if (message.capabilities != null && message.capabilities.length)
                    for (let i = 0; i < message.capabilities.length; ++i)
                        writer.uint32(34).string(message.capabilities[i]);
                if (message.tags != null && message.tags.length)
                    for (let i = 0; i < message.tags.length; ++i)
                        writer.uint32(50).string(message.tags[i]);
                return writer;
            };

            Hello.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Hello();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.agentVersion = reader.string();
                            break;
                        }
                    case 2: {
                            message.agentEpoch = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.lastAckedSeq = reader.uint64();
                            break;
                        }
                    case 4: {
                            if (!(message.capabilities && message.capabilities.length))
                                message.capabilities = [];
                            message.capabilities.push(reader.string());
                            break;
                        }
                    case 6: {
                            if (!(message.tags && message.tags.length))
                                message.tags = [];
                            message.tags.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Hello;
        })();

        v1.SnapshotChunk = (function() {

            function SnapshotChunk(properties) {
                this.components = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            SnapshotChunk.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            SnapshotChunk.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            SnapshotChunk.prototype.chunkIndex = 0;
            SnapshotChunk.prototype.chunkCount = 0;
            SnapshotChunk.prototype.components = $util.emptyArray;
            SnapshotChunk.prototype.digest = $util.newBuffer([]);
            SnapshotChunk.prototype.ports = null;
            SnapshotChunk.prototype.facts = null;
            SnapshotChunk.prototype.os = null;
            SnapshotChunk.prototype.kernel = null;
            SnapshotChunk.prototype.inUse = null;

            SnapshotChunk.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(8).uint64(message.epoch);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(16).uint64(message.seq);
                if (message.chunkIndex != null && Object.hasOwnProperty.call(message, "chunkIndex"))
                    writer.uint32(24).uint32(message.chunkIndex);
                if (message.chunkCount != null && Object.hasOwnProperty.call(message, "chunkCount"))
                    writer.uint32(32).uint32(message.chunkCount);
                if (message.components != null && message.components.length)
                    for (let i = 0; i < message.components.length; ++i)
                        $root.vigil.v1.Component.encode(message.components[i], writer.uint32(42).fork(), q + 1).ldelim();
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    writer.uint32(50).bytes(message.digest);
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    $root.vigil.v1.PortSet.encode(message.ports, writer.uint32(58).fork(), q + 1).ldelim();
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    $root.vigil.v1.HostFacts.encode(message.facts, writer.uint32(66).fork(), q + 1).ldelim();
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    $root.vigil.v1.OsInfo.encode(message.os, writer.uint32(74).fork(), q + 1).ldelim();
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    $root.vigil.v1.KernelInfo.encode(message.kernel, writer.uint32(82).fork(), q + 1).ldelim();
                if (message.inUse != null && Object.hasOwnProperty.call(message, "inUse"))
                    $root.vigil.v1.InUseSet.encode(message.inUse, writer.uint32(90).fork(), q + 1).ldelim();
                return writer;
            };

            SnapshotChunk.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.SnapshotChunk();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.chunkIndex = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.chunkCount = reader.uint32();
                            break;
                        }
                    case 5: {
                            if (!(message.components && message.components.length))
                                message.components = [];
                            message.components.push($root.vigil.v1.Component.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 6: {
                            message.digest = reader.bytes();
                            break;
                        }
                    case 7: {
                            message.ports = $root.vigil.v1.PortSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.facts = $root.vigil.v1.HostFacts.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 9: {
                            message.os = $root.vigil.v1.OsInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 10: {
                            message.kernel = $root.vigil.v1.KernelInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 11: {
                            message.inUse = $root.vigil.v1.InUseSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return SnapshotChunk;
        })();

        v1.Delta = (function() {

            function Delta(properties) {
                this.added = [];
                this.removedKeys = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Delta.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Delta.prototype.baseSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Delta.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Delta.prototype.added = $util.emptyArray;
            Delta.prototype.removedKeys = $util.emptyArray;
            Delta.prototype.ports = null;
            Delta.prototype.facts = null;
            Delta.prototype.digestAfter = $util.newBuffer([]);
            Delta.prototype.os = null;
            Delta.prototype.kernel = null;
            Delta.prototype.inUse = null;

            Delta.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(8).uint64(message.epoch);
                if (message.baseSeq != null && Object.hasOwnProperty.call(message, "baseSeq"))
                    writer.uint32(16).uint64(message.baseSeq);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(24).uint64(message.seq);
                if (message.added != null && message.added.length)
                    for (let i = 0; i < message.added.length; ++i)
                        $root.vigil.v1.Component.encode(message.added[i], writer.uint32(34).fork(), q + 1).ldelim();
                if (message.removedKeys != null && message.removedKeys.length)
                    for (let i = 0; i < message.removedKeys.length; ++i)
                        writer.uint32(42).string(message.removedKeys[i]);
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    $root.vigil.v1.PortSet.encode(message.ports, writer.uint32(50).fork(), q + 1).ldelim();
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    $root.vigil.v1.HostFacts.encode(message.facts, writer.uint32(58).fork(), q + 1).ldelim();
                if (message.digestAfter != null && Object.hasOwnProperty.call(message, "digestAfter"))
                    writer.uint32(66).bytes(message.digestAfter);
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    $root.vigil.v1.OsInfo.encode(message.os, writer.uint32(74).fork(), q + 1).ldelim();
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    $root.vigil.v1.KernelInfo.encode(message.kernel, writer.uint32(82).fork(), q + 1).ldelim();
                if (message.inUse != null && Object.hasOwnProperty.call(message, "inUse"))
                    $root.vigil.v1.InUseSet.encode(message.inUse, writer.uint32(90).fork(), q + 1).ldelim();
                return writer;
            };

            Delta.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Delta();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.baseSeq = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 4: {
                            if (!(message.added && message.added.length))
                                message.added = [];
                            message.added.push($root.vigil.v1.Component.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 5: {
                            if (!(message.removedKeys && message.removedKeys.length))
                                message.removedKeys = [];
                            message.removedKeys.push(reader.string());
                            break;
                        }
                    case 6: {
                            message.ports = $root.vigil.v1.PortSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 7: {
                            message.facts = $root.vigil.v1.HostFacts.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.digestAfter = reader.bytes();
                            break;
                        }
                    case 9: {
                            message.os = $root.vigil.v1.OsInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 10: {
                            message.kernel = $root.vigil.v1.KernelInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 11: {
                            message.inUse = $root.vigil.v1.InUseSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Delta;
        })();

        v1.Heartbeat = (function() {

            function Heartbeat(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Heartbeat.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Heartbeat.prototype.digest = $util.newBuffer([]);
            Heartbeat.prototype.rescanRequestId = "";

            Heartbeat.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(8).uint64(message.seq);
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    writer.uint32(18).bytes(message.digest);
                if (message.rescanRequestId != null && Object.hasOwnProperty.call(message, "rescanRequestId"))
                    writer.uint32(26).string(message.rescanRequestId);
                return writer;
            };

            Heartbeat.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Heartbeat();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.digest = reader.bytes();
                            break;
                        }
                    case 3: {
                            message.rescanRequestId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Heartbeat;
        })();

        v1.CommandResult = (function() {

            function CommandResult(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            CommandResult.prototype.commandId = "";
            CommandResult.prototype.signedResult = $util.newBuffer([]);

            CommandResult.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.commandId != null && Object.hasOwnProperty.call(message, "commandId"))
                    writer.uint32(10).string(message.commandId);
                if (message.signedResult != null && Object.hasOwnProperty.call(message, "signedResult"))
                    writer.uint32(18).bytes(message.signedResult);
                return writer;
            };

            CommandResult.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.CommandResult();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.commandId = reader.string();
                            break;
                        }
                    case 2: {
                            message.signedResult = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return CommandResult;
        })();

        v1.ServerMessage = (function() {

            function ServerMessage(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ServerMessage.prototype.welcome = null;
            ServerMessage.prototype.ack = null;
            ServerMessage.prototype.resync = null;
            ServerMessage.prototype.rescan = null;
            ServerMessage.prototype.command = null;

            let $oneOfFields;

            Object.defineProperty(ServerMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["welcome", "ack", "resync", "rescan", "command"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            ServerMessage.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome"))
                    $root.vigil.v1.Welcome.encode(message.welcome, writer.uint32(10).fork(), q + 1).ldelim();
                if (message.ack != null && Object.hasOwnProperty.call(message, "ack"))
                    $root.vigil.v1.Ack.encode(message.ack, writer.uint32(18).fork(), q + 1).ldelim();
                if (message.resync != null && Object.hasOwnProperty.call(message, "resync"))
                    $root.vigil.v1.ResyncRequest.encode(message.resync, writer.uint32(26).fork(), q + 1).ldelim();
                if (message.rescan != null && Object.hasOwnProperty.call(message, "rescan"))
                    $root.vigil.v1.RescanRequest.encode(message.rescan, writer.uint32(34).fork(), q + 1).ldelim();
                if (message.command != null && Object.hasOwnProperty.call(message, "command"))
                    $root.vigil.v1.SignedCommand.encode(message.command, writer.uint32(42).fork(), q + 1).ldelim();
                return writer;
            };

            ServerMessage.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ServerMessage();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.welcome = $root.vigil.v1.Welcome.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.ack = $root.vigil.v1.Ack.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 3: {
                            message.resync = $root.vigil.v1.ResyncRequest.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.rescan = $root.vigil.v1.RescanRequest.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.command = $root.vigil.v1.SignedCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ServerMessage;
        })();

        v1.Welcome = (function() {

            function Welcome(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Welcome.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Welcome.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Welcome.prototype.snapshotNeeded = false;

            Welcome.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(8).uint64(message.seq);
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(16).uint64(message.epoch);
                if (message.snapshotNeeded != null && Object.hasOwnProperty.call(message, "snapshotNeeded"))
                    writer.uint32(24).bool(message.snapshotNeeded);
                return writer;
            };

            Welcome.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Welcome();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.snapshotNeeded = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Welcome;
        })();

        v1.Ack = (function() {

            function Ack(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Ack.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            Ack.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(8).uint64(message.seq);
                return writer;
            };

            Ack.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Ack();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Ack;
        })();

        v1.ResyncReason = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "RESYNC_REASON_UNSPECIFIED"] = 0;
            values[valuesById[1] = "RESYNC_REASON_SEQ_GAP"] = 1;
            values[valuesById[2] = "RESYNC_REASON_DIGEST_MISMATCH"] = 2;
            values[valuesById[3] = "RESYNC_REASON_EPOCH_CHANGED"] = 3;
            values[valuesById[4] = "RESYNC_REASON_SERVER_STATE_LOST"] = 4;
            return values;
        })();

        v1.ResyncRequest = (function() {

            function ResyncRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ResyncRequest.prototype.reason = 0;
            ResyncRequest.prototype.detail = "";

            ResyncRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    writer.uint32(8).int32(message.reason);
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    writer.uint32(18).string(message.detail);
                return writer;
            };

            ResyncRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ResyncRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.reason = reader.int32();
                            break;
                        }
                    case 2: {
                            message.detail = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ResyncRequest;
        })();

        v1.RescanRequest = (function() {

            function RescanRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            RescanRequest.prototype.requestId = "";

            RescanRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(10).string(message.requestId);
                return writer;
            };

            RescanRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.RescanRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return RescanRequest;
        })();

        v1.SignedCommand = (function() {

            function SignedCommand(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            SignedCommand.prototype.envelope = $util.newBuffer([]);

            SignedCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.envelope != null && Object.hasOwnProperty.call(message, "envelope"))
                    writer.uint32(10).bytes(message.envelope);
                return writer;
            };

            SignedCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.SignedCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.envelope = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return SignedCommand;
        })();

        v1.Ecosystem = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "ECOSYSTEM_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ECOSYSTEM_DEB"] = 1;
            values[valuesById[2] = "ECOSYSTEM_RPM"] = 2;
            values[valuesById[3] = "ECOSYSTEM_APK"] = 3;
            values[valuesById[4] = "ECOSYSTEM_NPM"] = 4;
            values[valuesById[5] = "ECOSYSTEM_PYPI"] = 5;
            values[valuesById[6] = "ECOSYSTEM_MAVEN"] = 6;
            values[valuesById[7] = "ECOSYSTEM_GOLANG"] = 7;
            values[valuesById[8] = "ECOSYSTEM_GENERIC"] = 8;
            values[valuesById[9] = "ECOSYSTEM_CARGO"] = 9;
            values[valuesById[10] = "ECOSYSTEM_GEM"] = 10;
            values[valuesById[11] = "ECOSYSTEM_NUGET"] = 11;
            values[valuesById[12] = "ECOSYSTEM_COMPOSER"] = 12;
            return values;
        })();

        v1.Component = (function() {

            function Component(properties) {
                this.locations = [];
                this.licenses = [];
                this.metadata = {};
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            Component.prototype.ecosystem = 0;
            Component.prototype.name = "";
            Component.prototype.version = "";
            Component.prototype.namespace = null;
            Component.prototype.arch = null;
            Component.prototype.epoch = null;
            Component.prototype.release = null;
            Component.prototype.sourceName = null;
            Component.prototype.sourceVersion = null;
            Component.prototype.purl = "";
            Component.prototype.locations = $util.emptyArray;
            Component.prototype.licenses = $util.emptyArray;
            Component.prototype.foundBy = "";
            Component.prototype.metadata = $util.emptyObject;
            Component.prototype.ecosystemName = null;

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_namespace", {
                get: $util.oneOfGetter($oneOfFields = ["namespace"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_arch", {
                get: $util.oneOfGetter($oneOfFields = ["arch"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_epoch", {
                get: $util.oneOfGetter($oneOfFields = ["epoch"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_release", {
                get: $util.oneOfGetter($oneOfFields = ["release"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_sourceName", {
                get: $util.oneOfGetter($oneOfFields = ["sourceName"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_sourceVersion", {
                get: $util.oneOfGetter($oneOfFields = ["sourceVersion"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_ecosystemName", {
                get: $util.oneOfGetter($oneOfFields = ["ecosystemName"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            Component.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.ecosystem != null && Object.hasOwnProperty.call(message, "ecosystem"))
                    writer.uint32(8).int32(message.ecosystem);
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(18).string(message.name);
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(26).string(message.version);
                if (message.namespace != null && Object.hasOwnProperty.call(message, "namespace"))
                    writer.uint32(34).string(message.namespace);
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    writer.uint32(42).string(message.arch);
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(48).uint32(message.epoch);
                if (message.release != null && Object.hasOwnProperty.call(message, "release"))
                    writer.uint32(58).string(message.release);
                if (message.sourceName != null && Object.hasOwnProperty.call(message, "sourceName"))
                    writer.uint32(66).string(message.sourceName);
                if (message.sourceVersion != null && Object.hasOwnProperty.call(message, "sourceVersion"))
                    writer.uint32(74).string(message.sourceVersion);
                if (message.purl != null && Object.hasOwnProperty.call(message, "purl"))
                    writer.uint32(82).string(message.purl);
                if (message.locations != null && message.locations.length)
                    for (let i = 0; i < message.locations.length; ++i)
                        writer.uint32(90).string(message.locations[i]);
                if (message.licenses != null && message.licenses.length)
                    for (let i = 0; i < message.licenses.length; ++i)
                        writer.uint32(98).string(message.licenses[i]);
                if (message.foundBy != null && Object.hasOwnProperty.call(message, "foundBy"))
                    writer.uint32(106).string(message.foundBy);
                if (message.metadata != null && Object.hasOwnProperty.call(message, "metadata"))
                    for (let keys = Object.keys(message.metadata), i = 0; i < keys.length; ++i)
                        writer.uint32(114).fork().uint32(10).string(keys[i]).uint32(18).string(message.metadata[keys[i]]).ldelim();
                if (message.ecosystemName != null && Object.hasOwnProperty.call(message, "ecosystemName"))
                    writer.uint32(130).string(message.ecosystemName);
                return writer;
            };

            Component.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message, key, value;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Component();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.ecosystem = reader.int32();
                            break;
                        }
                    case 2: {
                            message.name = reader.string();
                            break;
                        }
                    case 3: {
                            message.version = reader.string();
                            break;
                        }
                    case 4: {
                            message.namespace = reader.string();
                            break;
                        }
                    case 5: {
                            message.arch = reader.string();
                            break;
                        }
                    case 6: {
                            message.epoch = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.release = reader.string();
                            break;
                        }
                    case 8: {
                            message.sourceName = reader.string();
                            break;
                        }
                    case 9: {
                            message.sourceVersion = reader.string();
                            break;
                        }
                    case 10: {
                            message.purl = reader.string();
                            break;
                        }
                    case 11: {
                            if (!(message.locations && message.locations.length))
                                message.locations = [];
                            message.locations.push(reader.string());
                            break;
                        }
                    case 12: {
                            if (!(message.licenses && message.licenses.length))
                                message.licenses = [];
                            message.licenses.push(reader.string());
                            break;
                        }
                    case 13: {
                            message.foundBy = reader.string();
                            break;
                        }
                    case 14: {
                            if (message.metadata === $util.emptyObject)
                                message.metadata = {};
                            let end2 = reader.uint32() + reader.pos;
                            if (end2 > reader.len)
                                throw RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.uint32();
                                switch (tag2 >>> 3) {
                                case 1:
                                    key = reader.string();
                                    break;
                                case 2:
                                    value = reader.string();
                                    break;
                                default:
                                    reader.skipType(tag2 & 7, long);
                                    break;
                                }
                            }
                            if (reader.pos !== end2)
                                throw RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.metadata, key);
                            message.metadata[key] = value;
                            break;
                        }
                    case 16: {
                            message.ecosystemName = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return Component;
        })();

        v1.InUseSet = (function() {

            function InUseSet(properties) {
                this.keys = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            InUseSet.prototype.keys = $util.emptyArray;

            InUseSet.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.keys != null && message.keys.length)
                    for (let i = 0; i < message.keys.length; ++i)
                        writer.uint32(10).string(message.keys[i]);
                return writer;
            };

            InUseSet.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.InUseSet();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.keys && message.keys.length))
                                message.keys = [];
                            message.keys.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return InUseSet;
        })();

        v1.PortSet = (function() {

            function PortSet(properties) {
                this.ports = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            PortSet.prototype.ports = $util.emptyArray;

            PortSet.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.ports != null && message.ports.length)
                    for (let i = 0; i < message.ports.length; ++i)
                        $root.vigil.v1.ListeningPort.encode(message.ports[i], writer.uint32(10).fork(), q + 1).ldelim();
                return writer;
            };

            PortSet.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.PortSet();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.ports && message.ports.length))
                                message.ports = [];
                            message.ports.push($root.vigil.v1.ListeningPort.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return PortSet;
        })();

        v1.Protocol = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_UNSPECIFIED"] = 0;
            values[valuesById[1] = "PROTOCOL_TCP"] = 1;
            values[valuesById[2] = "PROTOCOL_TCP6"] = 2;
            values[valuesById[3] = "PROTOCOL_UDP"] = 3;
            values[valuesById[4] = "PROTOCOL_UDP6"] = 4;
            return values;
        })();

        v1.Exposure = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "EXPOSURE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "EXPOSURE_LOOPBACK"] = 1;
            values[valuesById[2] = "EXPOSURE_PRIVATE"] = 2;
            values[valuesById[3] = "EXPOSURE_ANY"] = 3;
            return values;
        })();

        v1.ListeningPort = (function() {

            function ListeningPort(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            ListeningPort.prototype.protocol = 0;
            ListeningPort.prototype.address = "";
            ListeningPort.prototype.port = 0;
            ListeningPort.prototype.exposure = 0;
            ListeningPort.prototype.inode = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            ListeningPort.prototype.pid = null;
            ListeningPort.prototype.process = null;
            ListeningPort.prototype.executable = null;
            ListeningPort.prototype["package"] = null;

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_pid", {
                get: $util.oneOfGetter($oneOfFields = ["pid"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_process", {
                get: $util.oneOfGetter($oneOfFields = ["process"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_executable", {
                get: $util.oneOfGetter($oneOfFields = ["executable"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_package", {
                get: $util.oneOfGetter($oneOfFields = ["package"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            ListeningPort.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.protocol != null && Object.hasOwnProperty.call(message, "protocol"))
                    writer.uint32(8).int32(message.protocol);
                if (message.address != null && Object.hasOwnProperty.call(message, "address"))
                    writer.uint32(18).string(message.address);
                if (message.port != null && Object.hasOwnProperty.call(message, "port"))
                    writer.uint32(24).uint32(message.port);
                if (message.exposure != null && Object.hasOwnProperty.call(message, "exposure"))
                    writer.uint32(32).int32(message.exposure);
                if (message.inode != null && Object.hasOwnProperty.call(message, "inode"))
                    writer.uint32(40).uint64(message.inode);
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid"))
                    writer.uint32(48).uint32(message.pid);
                if (message.process != null && Object.hasOwnProperty.call(message, "process"))
                    writer.uint32(58).string(message.process);
                if (message.executable != null && Object.hasOwnProperty.call(message, "executable"))
                    writer.uint32(66).string(message.executable);
                if (message["package"] != null && Object.hasOwnProperty.call(message, "package"))
                    writer.uint32(74).string(message["package"]);
                return writer;
            };

            ListeningPort.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ListeningPort();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.protocol = reader.int32();
                            break;
                        }
                    case 2: {
                            message.address = reader.string();
                            break;
                        }
                    case 3: {
                            message.port = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.exposure = reader.int32();
                            break;
                        }
                    case 5: {
                            message.inode = reader.uint64();
                            break;
                        }
                    case 6: {
                            message.pid = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.process = reader.string();
                            break;
                        }
                    case 8: {
                            message.executable = reader.string();
                            break;
                        }
                    case 9: {
                            message["package"] = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return ListeningPort;
        })();

        v1.HostFacts = (function() {

            function HostFacts(properties) {
                this.addresses = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            HostFacts.prototype.hostname = "";
            HostFacts.prototype.os = "";
            HostFacts.prototype.arch = "";
            HostFacts.prototype.addresses = $util.emptyArray;
            HostFacts.prototype.kernel = null;

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(HostFacts.prototype, "_kernel", {
                get: $util.oneOfGetter($oneOfFields = ["kernel"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            HostFacts.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    writer.uint32(10).string(message.hostname);
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    writer.uint32(18).string(message.os);
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    writer.uint32(26).string(message.arch);
                if (message.addresses != null && message.addresses.length)
                    for (let i = 0; i < message.addresses.length; ++i)
                        writer.uint32(34).string(message.addresses[i]);
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    writer.uint32(42).string(message.kernel);
                return writer;
            };

            HostFacts.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.HostFacts();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.hostname = reader.string();
                            break;
                        }
                    case 2: {
                            message.os = reader.string();
                            break;
                        }
                    case 3: {
                            message.arch = reader.string();
                            break;
                        }
                    case 4: {
                            if (!(message.addresses && message.addresses.length))
                                message.addresses = [];
                            message.addresses.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.kernel = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return HostFacts;
        })();

        v1.OsInfo = (function() {

            function OsInfo(properties) {
                this.idLike = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            OsInfo.prototype.id = "";
            OsInfo.prototype.versionId = null;
            OsInfo.prototype.versionCodename = null;
            OsInfo.prototype.prettyName = null;
            OsInfo.prototype.name = null;
            OsInfo.prototype.idLike = $util.emptyArray;
            OsInfo.prototype.distro = "";

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_versionId", {
                get: $util.oneOfGetter($oneOfFields = ["versionId"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_versionCodename", {
                get: $util.oneOfGetter($oneOfFields = ["versionCodename"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_prettyName", {
                get: $util.oneOfGetter($oneOfFields = ["prettyName"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_name", {
                get: $util.oneOfGetter($oneOfFields = ["name"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            OsInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(10).string(message.id);
                if (message.versionId != null && Object.hasOwnProperty.call(message, "versionId"))
                    writer.uint32(18).string(message.versionId);
                if (message.versionCodename != null && Object.hasOwnProperty.call(message, "versionCodename"))
                    writer.uint32(26).string(message.versionCodename);
                if (message.prettyName != null && Object.hasOwnProperty.call(message, "prettyName"))
                    writer.uint32(34).string(message.prettyName);
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(42).string(message.name);
                if (message.idLike != null && message.idLike.length)
                    for (let i = 0; i < message.idLike.length; ++i)
                        writer.uint32(50).string(message.idLike[i]);
                if (message.distro != null && Object.hasOwnProperty.call(message, "distro"))
                    writer.uint32(58).string(message.distro);
                return writer;
            };

            OsInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.OsInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    case 2: {
                            message.versionId = reader.string();
                            break;
                        }
                    case 3: {
                            message.versionCodename = reader.string();
                            break;
                        }
                    case 4: {
                            message.prettyName = reader.string();
                            break;
                        }
                    case 5: {
                            message.name = reader.string();
                            break;
                        }
                    case 6: {
                            if (!(message.idLike && message.idLike.length))
                                message.idLike = [];
                            message.idLike.push(reader.string());
                            break;
                        }
                    case 7: {
                            message.distro = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return OsInfo;
        })();

        v1.KernelInfo = (function() {

            function KernelInfo(properties) {
                this.installed = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            KernelInfo.prototype.running = null;
            KernelInfo.prototype.runningPackage = null;
            KernelInfo.prototype.installed = $util.emptyArray;

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(KernelInfo.prototype, "_running", {
                get: $util.oneOfGetter($oneOfFields = ["running"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(KernelInfo.prototype, "_runningPackage", {
                get: $util.oneOfGetter($oneOfFields = ["runningPackage"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            KernelInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.running != null && Object.hasOwnProperty.call(message, "running"))
                    writer.uint32(10).string(message.running);
                if (message.runningPackage != null && Object.hasOwnProperty.call(message, "runningPackage"))
                    writer.uint32(18).string(message.runningPackage);
                if (message.installed != null && message.installed.length)
                    for (let i = 0; i < message.installed.length; ++i)
                        writer.uint32(26).string(message.installed[i]);
                return writer;
            };

            KernelInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.KernelInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.running = reader.string();
                            break;
                        }
                    case 2: {
                            message.runningPackage = reader.string();
                            break;
                        }
                    case 3: {
                            if (!(message.installed && message.installed.length))
                                message.installed = [];
                            message.installed.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            return KernelInfo;
        })();

        return v1;
    })();

    return vigil;
})();

export { $root as default };
