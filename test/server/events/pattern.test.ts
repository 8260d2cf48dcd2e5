import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../src/common/errors.js';
import { compilePattern } from '../../../src/server/events/pattern.js';

/**
 * Test vectors from Amazon's documentation of EventBridge event patterns: the
 * Amazon EventBridge User Guide pages "Content filtering in Amazon EventBridge event
 * patterns" (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html),
 * "Comparison operators for use in event patterns" (…/eb-create-pattern-operators.html),
 * "Creating Amazon EventBridge event patterns" (…/eb-event-patterns.html), "Arrays in
 * Amazon EventBridge event patterns" (…/eb-event-patterns-arrays.html) and "null values
 * and empty strings" (…/eb-event-patterns-null-values.html); and the README of
 * aws/event-ruler (Apache-2.0), the matching library behind them, which uses the same
 * sample event and states the exists-on-intermediate-node, array-consistency and
 * $or cases. Each pattern is as documented; the expectation is what the page says.
 */

/** The sample EC2 event of the content-filtering page and event-ruler's README. */
const EC2_RUNNING = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};

/** The EC2 termination event of the "Creating event patterns" page. */
const EC2_TERMINATED = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const match = (pattern: unknown, event: unknown): boolean => compilePattern(pattern)(event);

describe('EventBridge pattern matching, as documented', () => {
  it.each([
    ['exact values, arrays as OR, nested detail', { 'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'], detail: { state: ['initializing', 'running'] } }, true],
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
    ['prefix that does not match', { time: [{ prefix: '2017-10-03' }] }, false],
    ['suffix', { source: [{ suffix: 'ec2' }] }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, true],
    ['equals-ignore-case of another value', { source: [{ 'equals-ignore-case': 'EC2' }] }, false],
    ['wildcard', { source: [{ wildcard: 'aws.*' }] }, true],
    ['wildcard of the README (Simple*Service)', { source: [{ wildcard: 'Simple*Service' }] }, false],
    ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but the value itself', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
    ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
    ['anything-but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    ['anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, true],
    ['anything-but a list holding the value', { detail: { 'x-limit': [{ 'anything-but': [100, 301.8] }] } }, false],
    ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
    ['anything-but prefix of the value', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, false],
    ['numeric ranges and equality', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
    ['numeric range the value is above', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, false],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr of another network', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['exists true', { detail: { 'c-count': [{ exists: true }] } }, true],
    ['exists false of a present field', { detail: { 'c-count': [{ exists: false }] } }, false],
    ['exists false of an absent field', { detail: { 'e-count': [{ exists: false }] } }, true],
    [
      'the complex example',
      {
        time: [{ prefix: '2017-10-02' }],
        detail: {
          state: [{ 'anything-but': 'initializing' }],
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ 'anything-but': [100, 200, 300] }],
          'source-ip': [{ cidr: '10.0.0.0/8' }],
        },
      },
      true,
    ],
    ['a field the event lacks', { detail: { color: ['red'] } }, false],
    ['a string value against a number field', { detail: { 'c-count': ['5'] } }, false],
    ['a number value against a number field', { detail: { 'c-count': [5] } }, true],
  ])('%s', (_what, pattern, expected) => {
    expect(match(pattern, EC2_RUNNING)).toBe(expected);
  });

  it('selects the EC2 termination event of "Creating event patterns" and not the running one', () => {
    const p = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    expect(match(p, EC2_TERMINATED)).toBe(true);
    expect(match(p, EC2_RUNNING)).toBe(false);
  });

  it('matches an array field when the pattern and the event share one value ("Arrays in event patterns")', () => {
    const p = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'],
    };
    const e = { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] };
    expect(match(p, e)).toBe(true);
    expect(match(p, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] })).toBe(false);
  });

  it('takes exists false to match an intermediate node, which is not a leaf (event-ruler README)', () => {
    const p = { detail: { 'c-count': [{ exists: false }] } };
    expect(match(p, { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(match(p, { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } })).toBe(true);
    expect(match({ detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(false);
  });

  it('matches fields of one array element together, never across elements (event-ruler README)', () => {
    const e = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
    expect(match({ employees: { firstName: ['Anna'] } }, e)).toBe(true);
    expect(match({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, e)).toBe(true);
    expect(match({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, e)).toBe(false);
    const nested = { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] };
    expect(match({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
  });

  it('reads $or as alternatives, in parallel and nested, as the event-ruler README shows', () => {
    const normal = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
    expect(match(normal, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(match(normal, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(match(normal, { source: 'aws.cloudwatch', metricName: 'DiskIO', namespace: 'AWS/S3' })).toBe(false);
    expect(match(normal, { source: 'aws.ec2', metricName: 'ReadLatency' })).toBe(false);
    const parallel = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(match(parallel, { metricName: 'CPUUtilization', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(match(parallel, { metricName: 'CPUUtilization', detail: { source: 'aws.ec2' } })).toBe(false);
    const nestedOr = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    expect(match(nestedOr, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(match(nestedOr, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1001 })).toBe(false);
    expect(match(nestedOr, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
  });

  it('matches null and the empty string as values, and null never matches an absent field ("null values and empty strings")', () => {
    const e = { detail: { eventVersion: '', responseElements: null } };
    expect(match({ detail: { eventVersion: [''] } }, e)).toBe(true);
    expect(match({ detail: { responseElements: [null] } }, e)).toBe(true);
    expect(match({ detail: { requestParameters: [null] } }, e)).toBe(false);
    expect(match({ detail: { eventVersion: [null] } }, e)).toBe(false);
  });

  it.each([
    ['Location is "New York" and Day is "Monday"', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' }, true],
    ['…and not on Tuesday', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Tuesday' }, false],
    ['Region is not in the US', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'eu-west-1' }, true],
    ['…and us-east-1 is', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'us-east-1' }, false],
    ['FileName does not end with .png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.jpg' }, true],
    ['…and a.png does', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' }, false],
    ['State is anything but initializing, in any case', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' }, false],
    ['FilePath does not include /lib/', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/x.so' }, false],
    ['…and /usr/bin/x does not', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/x' }, true],
    ['Region begins with us-', { Region: [{ prefix: 'us-' }] }, { Region: 'us-west-2' }, true],
    ['service begins with eventb in any case', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EventBridge' }, true],
    ['LastName is empty', { LastName: [''] }, { LastName: '' }, true],
    ['Name is Alice', { Name: ['Alice'] }, { Name: 'Alice' }, true],
    ['Name is alice in any case', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, true],
    ['FileName ends with .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'photo.png' }, true],
    ['service ends with tbridge in any case', { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] }, { service: 'EVENTBRIDGE' }, true],
    ['ProductName exists', { ProductName: [{ exists: true }] }, { ProductName: 'x' }, true],
    ['ProductName does not exist', { ProductName: [{ exists: false }] }, { Other: 'x' }, true],
    ['Weather is anything but Raining', { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Sunny' }, true],
    ['UserID is null', { UserID: [null] }, { UserID: null }, true],
    ['Price is 100', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, true],
    ['Price is more than 10 and at most 20', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
    ['…and 10 is not', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 }, false],
    ['PaymentType is Credit or Debit', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, true],
    ['Location is New York or Day is Monday', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Location: 'Boston', Day: 'Monday' }, true],
    ['a .png file within the folder dir', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/photo.png' }, true],
    ['…and not in another folder', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'other/photo.png' }, false],
    ['an event bus ARN with wildcards', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }, true],
    ['an escaped asterisk matches only itself', { FileName: [{ wildcard: 'a\\*b' }] }, { FileName: 'axb' }, false],
    ['…and matches "a*b"', { FileName: [{ wildcard: 'a\\*b' }] }, { FileName: 'a*b' }, true],
  ])('comparison operators table: %s', (_what, pattern, event, expected) => {
    expect(match(pattern, event)).toBe(expected);
  });
});

describe('Vigil events', () => {
  const finding = {
    version: '0',
    id: '0b1e0b86-0e0c-4d0c-9f3c-7e4c7b0f3c55',
    source: 'vigil',
    'detail-type': 'Finding State Change',
    time: '2026-11-30T10:00:00.000Z',
    resources: ['vigil:host/h1', 'vigil:finding/h1/9a6b8724a18dba09:CVE-2021-44906'],
    detail: { hostId: 'h1', status: 'ACTIVE', finding: { severity: 'critical', score: 5.4, vulnerability: 'CVE-2021-44906', aliases: ['GHSA-xvch-5gv4-984h'], component: { ecosystem: 'npm', name: 'minimist' } } },
  };
  it('route on severity, score, aliases and resource prefixes', () => {
    expect(match({ source: ['vigil'], detail: { finding: { severity: ['critical', 'high'] } } }, finding)).toBe(true);
    expect(match({ detail: { finding: { score: [{ numeric: ['>=', 7] }] } } }, finding)).toBe(false);
    expect(match({ detail: { finding: { aliases: [{ prefix: 'GHSA-' }] } } }, finding)).toBe(true);
    expect(match({ resources: [{ prefix: 'vigil:host/' }] }, finding)).toBe(true);
    expect(match({ 'detail-type': [{ 'anything-but': ['Finding State Change'] }] }, finding)).toBe(false);
  });
  it('accepts a pattern as JSON text', () => {
    expect(compilePattern('{"source": ["vigil"]}')(finding)).toBe(true);
  });
});

describe('malformed patterns', () => {
  const refusal = (pattern: unknown): string => {
    try {
      compilePattern(pattern);
    } catch (err) {
      expect(err).toBeInstanceOf(VigilError);
      expect((err as VigilError).code).toBe('INVALID_INPUT');
      return (err as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(pattern)}`);
  };
  it.each([
    ['JSON text that does not parse', '{"source": [', /event pattern is not JSON/],
    ['a pattern that is not an object', ['vigil'], /event pattern \/: must be an object/],
    ['an empty pattern', {}, /event pattern \/: an empty pattern is refused/],
    ['an empty nested object', { detail: {} }, /event pattern \/detail: an empty object matches nothing/],
    ['a bare value instead of an array', { source: 'vigil' }, /event pattern \/source: must be an array of values or a nested pattern, not "vigil"/],
    ['an empty array', { source: [] }, /event pattern \/source: an empty array matches nothing/],
    ['an array inside the values', { source: [['vigil']] }, /event pattern \/source\/0: a value cannot be an array/],
    ['an unknown operator', { source: [{ contains: 'vig' }] }, /event pattern \/source\/0: unknown operator "contains"/],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, /\/source\/0: an operator object holds exactly one operator, not 2/],
    ['a prefix that is a number', { source: [{ prefix: 1 }] }, /\/source\/0\/prefix: prefix takes a string or \{"equals-ignore-case": string\}/],
    ['a numeric operator that does not exist', { n: [{ numeric: ['>>', 1] }] }, /\/n\/0\/numeric\/0: expected one of/],
    ['a numeric range upside down', { n: [{ numeric: ['>', 5, '<', 1] }] }, /\/n\/0\/numeric: the lower bound 5 is not below the upper bound 1/],
    ['a numeric range starting with an upper bound', { n: [{ numeric: ['<', 5, '>', 1] }] }, /\/n\/0\/numeric\/0: expected one of ">", ">="/],
    ['a number outside the numeric range', { n: [{ numeric: ['<', 1e10] }] }, /\/n\/0\/numeric\/1: 10000000000 is outside the numeric range/],
    ['a numeric bound that is a string', { n: [{ numeric: ['<', '5'] }] }, /\/n\/0\/numeric\/1: expected a number, not "5"/],
    ['anything-but of mixed types', { s: [{ 'anything-but': ['a', 1] }] }, /\/s\/0\/anything-but: anything-but takes a list of only strings or only numbers/],
    ['anything-but of an unknown operator', { s: [{ 'anything-but': { contains: 'x' } }] }, /\/s\/0\/anything-but\/contains: unknown anything-but operator "contains"/],
    ['exists that is not a boolean', { s: [{ exists: 'yes' }] }, /\/s\/0\/exists: exists takes true or false/],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }, /\/s\/0\/wildcard: consecutive wildcard characters are not allowed/],
    ['a backslash escaping a letter', { s: [{ wildcard: 'a\\b' }] }, /\/s\/0\/wildcard: a backslash escapes only/],
    ['a cidr that is not one', { ip: [{ cidr: '10.0.0.0/33' }] }, /\/ip\/0\/cidr: "10.0.0.0\/33" is not an IPv4 or IPv6 CIDR block/],
    ['$or with one alternative', { $or: [{ a: ['x'] }] }, /\/\$or: \$or needs an array of at least two patterns/],
    ['$or with a bad alternative', { $or: [{ a: ['x'] }, { b: 'y' }] }, /\/\$or\/1\/b: must be an array/],
    ['a field name with a slash, escaped in the pointer', { 'a/b': [{ exists: 1 }] }, /event pattern \/a~1b\/0\/exists/],
  ])('%s', (_what, pattern, message) => {
    expect(refusal(pattern)).toMatch(message);
  });

  it('refuses a pattern nested deeper than 16 levels and one with more than 1000 values', () => {
    let deep: Record<string, unknown> = { leaf: ['x'] };
    for (let i = 0; i < 20; i++) deep = { [`l${i}`]: deep };
    expect(refusal(deep)).toMatch(/nested deeper than 16 levels/);
    expect(refusal({ a: Array.from({ length: 1001 }, (_, i) => `v${i}`) })).toMatch(/more than 1000 values/);
  });
});
