-- How many articles the warehouse holds (the run summary's "stored").
select count(*) from articles;
