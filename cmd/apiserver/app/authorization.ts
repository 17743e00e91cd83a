import type winston from 'winston';
import type { Authorizer, RuleResolver } from '../../../pkg/auth/authorizer/interfaces.js';
import { SYSTEM_PRIVILEGED_GROUP } from '../../../pkg/auth/user/user.js';
import type { WriteAdmission } from '../../../pkg/endpoints/handlers/rest/scope.js';
import { rbacWriteAdmission } from '../../../pkg/registry/rbac/escalation.js';
import type { ResourceRegistry } from '../../../pkg/registry/registry.js';
import { loadABACAuthorizer } from '../../../plugin/auth/authorizer/abac/abac.js';
import {
  alwaysAllowAuthorizer,
  alwaysAllowRuleResolver,
  alwaysDenyAuthorizer,
  alwaysDenyRuleResolver,
} from '../../../plugin/auth/authorizer/always/always.js';
import {
  privilegedGroupsAuthorizer,
  privilegedGroupsRuleResolver,
} from '../../../plugin/auth/authorizer/privileged/privileged_groups.js';
import { ensureBootstrapPolicy } from '../../../plugin/auth/authorizer/rbac/bootstrappolicy/index.js';
import {
  newRBACAuthorizer,
  type RBACAuthorizer,
} from '../../../plugin/auth/authorizer/rbac/rbac.js';
import { unionAuthorizer } from '../../../plugin/auth/authorizer/union/union.js';
import { unionRuleResolver } from '../../../plugin/auth/authorizer/union/union_rules.js';
import { loadWebhookAuthorizer } from '../../../plugin/auth/authorizer/webhook/webhook.js';
import type { AuthorizationOptions } from './options/authorization.js';

/** The authorization parts of the server configuration. */
export interface BuiltAuthorization {
  /** The privileged-group authorizer for system:masters, then each mode in flag order. */
  authorizer: Authorizer;
  /** The privileged-group rules, then each mode's rules, for SelfSubjectRulesReview. */
  ruleResolver: RuleResolver;
  /** RBAC's escalation check on writes of roles and bindings. */
  admission: WriteAdmission;
  /** Stops the RBAC authorizer's watches and cancels webhook calls in flight. */
  close(): void;
}

/** One --authorization-mode plug-in, and what to stop when the server stops. */
interface ModeParts {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
  close?: () => void;
}

async function buildMode(
  mode: string,
  options: AuthorizationOptions,
  rbac: RBACAuthorizer,
  logger: winston.Logger,
): Promise<ModeParts> {
  switch (mode) {
    case 'AlwaysAllow':
      return { authorizer: alwaysAllowAuthorizer(), ruleResolver: alwaysAllowRuleResolver() };
    case 'AlwaysDeny':
      return { authorizer: alwaysDenyAuthorizer(), ruleResolver: alwaysDenyRuleResolver() };
    case 'ABAC': {
      const abac = await loadABACAuthorizer(
        options.policyFile,
        logger.child({ component: 'abac' }),
      );
      return { authorizer: abac, ruleResolver: abac };
    }
    case 'RBAC':
      return { authorizer: rbac, ruleResolver: rbac };
    case 'Webhook': {
      const webhook = await loadWebhookAuthorizer({
        configFile: options.webhookConfigFile,
        version: options.webhookVersion,
        authorizedTTLMs: options.webhookCacheAuthorizedTTLMs,
        unauthorizedTTLMs: options.webhookCacheUnauthorizedTTLMs,
        logger,
      });
      return { authorizer: webhook, ruleResolver: webhook, close: () => webhook.close() };
    }
    default:
      // Validation rejects unknown modes before the configuration is built.
      throw new Error(`--authorization-mode: authorization mode "${mode}" is not supported`);
  }
}

/**
 * Builds the authorizer, rule resolver and RBAC write admission from validated options, as
 * kube-apiserver's authorizer config does. The RBAC authorizer is built even when RBAC is not a
 * mode, because the escalation check lists the writing user's RBAC rules, as kube-apiserver's
 * RBAC storage does. The bootstrap roles and bindings are created only when RBAC is a mode, as
 * kube-apiserver's rbac/bootstrap-roles post-start hook does.
 * @throws Error starting with the flag and file when the ABAC policy file or the webhook
 * configuration cannot be read or is invalid.
 */
export async function buildAuthorization(
  options: AuthorizationOptions,
  resources: ResourceRegistry,
  logger: winston.Logger,
): Promise<BuiltAuthorization> {
  const rbacLogger = logger.child({ component: 'rbac' });
  if (options.modes.includes('RBAC')) await ensureBootstrapPolicy(resources, rbacLogger);
  const rbac = await newRBACAuthorizer(resources, rbacLogger);
  const closers: (() => void)[] = [() => rbac.close()];
  const closeAll = (): void => {
    for (const close of closers) close();
  };

  const authorizers: Authorizer[] = [privilegedGroupsAuthorizer([SYSTEM_PRIVILEGED_GROUP])];
  const ruleResolvers: RuleResolver[] = [privilegedGroupsRuleResolver([SYSTEM_PRIVILEGED_GROUP])];
  try {
    for (const mode of options.modes) {
      const parts = await buildMode(mode, options, rbac, logger);
      authorizers.push(parts.authorizer);
      ruleResolvers.push(parts.ruleResolver);
      if (parts.close !== undefined) closers.push(parts.close);
    }
  } catch (err) {
    closeAll();
    throw err;
  }

  const authorizer = unionAuthorizer(...authorizers);
  logger.info('Authorization modes enabled', { modes: options.modes });
  return {
    authorizer,
    ruleResolver: unionRuleResolver(...ruleResolvers),
    admission: rbacWriteAdmission({
      authorizer,
      ruleResolver: rbac,
      resources,
      logger: logger.child({ component: 'rbac-admission' }),
    }),
    close: closeAll,
  };
}
