-- The seed articles already stored: a run does not read those files again.
select article_id from articles where source = 'seeds';
