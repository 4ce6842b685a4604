import { describe, expect, test } from 'vitest';
import { DuplicateServiceTypeError, InvalidServiceTypeError, UnknownServiceTypeError } from '../src/errors.js';
import { ServiceRegistry } from '../src/registry.js';
import { ServiceType } from '../src/service-type.js';

describe('ServiceRegistry and register', () => {
  test('register works as a class decorator and as a plain function; list shows kind and description', () => {
    const registry = new ServiceRegistry();
    @registry.register
    class Web extends ServiceType {
      readonly shortName = 'web';
      override readonly description = 'HTTP page';
    }
    class Bulk extends ServiceType {
      readonly shortName = 'bulk';
      override readonly kind = 'mass' as const;
      override readonly description = 'all teams at once';
    }
    expect(registry.register(Bulk)).toBe(Bulk);
    expect(registry.get('web')).toBeInstanceOf(Web);
    expect(registry.list()).toEqual([
      { shortName: 'bulk', kind: 'mass', description: 'all teams at once', origin: 'user' },
      { shortName: 'web', kind: 'standard', description: 'HTTP page', origin: 'user' },
    ]);
  });

  test('a duplicate short name is rejected with both classes named', () => {
    const registry = new ServiceRegistry();
    class A extends ServiceType {
      readonly shortName = 'dup';
    }
    class B extends ServiceType {
      readonly shortName = 'dup';
    }
    registry.register(A);
    registry.register(A); // same class again: harmless (module imported twice)
    expect(() => registry.register(B)).toThrow(DuplicateServiceTypeError);
    expect(() => registry.register(B)).toThrow("service type short name 'dup' is already registered by A (user); B (user) cannot use it");
  });

  test('bad definitions are rejected clearly', () => {
    const registry = new ServiceRegistry();
    class NoName extends ServiceType {
      readonly shortName = 'Has Spaces';
    }
    class BadKind extends ServiceType {
      readonly shortName = 'k';
      override readonly kind = 'weird' as 'standard';
    }
    expect(() => registry.register(NoName)).toThrow(InvalidServiceTypeError);
    expect(() => registry.register(NoName)).toThrow(`NoName: shortName must be lower-case letters, digits, '-' or '_' (got "Has Spaces")`);
    expect(() => registry.register(BadKind)).toThrow('BadKind: kind must be one of standard, multi, mass (got "weird")');
    expect(() => registry.register(class NotAType {} as never)).toThrow("register() needs a subclass of ServiceType, got class or function 'NotAType' that does not extend ServiceType");
    expect(() => registry.get('nope')).toThrow(UnknownServiceTypeError);
  });
});
