/**
 * Engine tables: users and sessions, deployed definitions, process instances, human tasks, audit.
 * Every timestamp is timestamptz. Text ids are chosen by the engine (Temporal workflow id, task key)
 * so that retried activities address the same row.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}');
    t.text('display_name');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('sessions', (t) => {
    // Only the sha256 of the token is stored: a leaked table does not leak usable tokens.
    t.text('token_hash').primary();
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('expires_at', tz).notNullable();
    t.index(['expires_at']);
    t.index(['user_id']);
  });

  await db.schema.createTable('definitions', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.integer('latest_version').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('definition_versions', (t) => {
    t.text('definition_id').notNullable().references('definitions.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('content_hash').notNullable();
    t.text('source').notNullable();
    // json, not jsonb: jsonb reorders keys, and the order of outcomes and form fields is the author's.
    t.json('definition').notNullable();
    t.timestamp('deployed_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('deployed_by').notNullable();
    t.primary(['definition_id', 'version']);
    t.unique(['definition_id', 'content_hash']);
  });

  await db.schema.createTable('process_instances', (t) => {
    t.text('id').primary(); // = Temporal workflow id
    // No FK to definition_versions: the started version travels inside the workflow input, and
    // instances must stay readable even if a definition is ever removed.
    t.text('definition_id').notNullable();
    t.integer('version').notNullable();
    t.text('business_key').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.text('stage');
    t.text('outcome');
    t.text('end_reason');
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.text('started_by').notNullable();
    t.timestamp('started_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('ended_at', tz);
    t.timestamp('updated_at', tz).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`alter table process_instances add constraint process_instances_status_check
    check (status in ('running', 'completed', 'cancelled', 'failed'))`);
  // At most one running instance per (definition, business key): the API maps the violation to 409.
  await db.raw(`create unique index process_instances_running_business_key
    on process_instances (definition_id, business_key) where status = 'running'`);
  await db.raw(`create index process_instances_definition on process_instances (definition_id, started_at desc)`);
  await db.raw(`create index process_instances_status on process_instances (status, started_at desc)`);
  await db.raw(`create index process_instances_stage on process_instances (stage, started_at desc)`);
  await db.raw(`create index process_instances_business_key on process_instances (business_key, started_at desc)`);
  await db.raw(`create index process_instances_started_at on process_instances (started_at desc)`);

  await db.schema.createTable('tasks', (t) => {
    t.text('id').primary(); // `${instanceId}:${stepId}:${visit}`
    t.text('instance_id').notNullable().references('process_instances.id').onDelete('CASCADE');
    t.text('step_id').notNullable();
    t.text('title').notNullable();
    t.specificType('candidate_roles', 'text[]').notNullable().defaultTo('{}');
    t.text('assignee');
    t.text('status').notNullable().defaultTo('open');
    t.specificType('outcomes', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('form');
    t.text('outcome');
    t.jsonb('data');
    t.text('cancel_reason');
    t.timestamp('due_at', tz);
    t.timestamp('escalated_at', tz);
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('claimed_at', tz);
    t.text('completed_by');
    t.timestamp('completed_at', tz);
  });
  await db.raw(`alter table tasks add constraint tasks_status_check
    check (status in ('open', 'completed', 'cancelled'))`);
  // Inbox: "open tasks any of my roles may take" stays an index scan at 100k open tasks.
  await db.raw(`create index tasks_open_candidate_roles on tasks using gin (candidate_roles) where status = 'open'`);
  await db.raw(`create index tasks_assignee_status on tasks (assignee, status)`);
  await db.raw(`create index tasks_instance on tasks (instance_id)`);
  await db.raw(`create index tasks_status_due on tasks (status, due_at)`);
  await db.raw(`create index tasks_open_created on tasks (created_at) where status = 'open'`);

  await db.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary();
    // Deterministic per state change, so a retried activity cannot write a second line.
    t.text('key').notNullable().unique();
    // No FK: audit lines must be writable for any instance id, in any order, and outlive deletes.
    t.text('instance_id').notNullable();
    t.text('task_id');
    t.text('step_id');
    t.text('kind').notNullable();
    t.text('actor');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['instance_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['audit_events', 'tasks', 'process_instances', 'definition_versions', 'definitions', 'sessions', 'users']) {
    await db.schema.dropTableIfExists(table);
  }
}
