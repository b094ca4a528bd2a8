-- 002_topics: the contract's topic ids, once in the warehouse, in contract order.
-- The digest SQL, the data checks, the analysts' cookbook and the artifacts join this table
-- instead of spelling the ids; tests/test_topics_agree.py asserts it equals
-- extractors.core.topics.TOPICS (order included). A new topic is a new migration.

create table if not exists topics (
    topic     varchar primary key,
    position  integer not null unique        -- 1, 2, …: the order every list of topics follows
);

insert into topics (topic, position) values
    ('export_controls', 1),
    ('pricing', 2),
    ('privacy_bans', 3),
    ('market_impact', 4);
